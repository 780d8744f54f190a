using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BotSociety.DevHost.Hosting;

/// <summary>
/// The loopback HTTP/2 address the worker dials. Kestrel picks the port when it binds (port 0), so it is known
/// only once the server has started.
/// </summary>
internal sealed class WorkerRpcEndpoint(IServer server)
{
    public Uri Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Kestrel is not listening on the loopback gRPC port (addresses: {string.Join(", ", addresses)}).");
        return new Uri(address.TrimEnd('/') + "/");
    }
}
