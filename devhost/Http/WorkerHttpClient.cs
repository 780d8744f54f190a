using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace BotSociety.DevHost.Http;

/// <summary>The one HTTP client devhost forwards function requests with, configured as YARP advises for a forwarder.</summary>
internal sealed class WorkerHttpClient : IDisposable
{
    /// <summary>The real host's limit: a request may stay idle 240 s before it is cancelled.</summary>
    public static ForwarderRequestConfig RequestConfig { get; } = new()
    {
        ActivityTimeout = TimeSpan.FromSeconds(240),
        // The worker's Kestrel speaks cleartext HTTP/1.1 (h2c would need prior knowledge).
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    public void Dispose() => Invoker.Dispose();
}
