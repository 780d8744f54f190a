using Microsoft.Extensions.Configuration;

namespace BotSociety.Core.Data;

/// <summary>
/// Which running copy of the app this is, written into every activity's details as <c>instance</c> so an operator of
/// several instances can tell which one acted. Azure sets <c>WEBSITE_INSTANCE_ID</c>; elsewhere it is the host name
/// and process id.
/// </summary>
public sealed class SocietyInstance(IConfiguration configuration)
{
    public string Id { get; } = configuration["WEBSITE_INSTANCE_ID"] is { Length: > 0 } id
        ? id
        : $"{Environment.MachineName}:{Environment.ProcessId}";
}
