using System.Collections.Concurrent;

namespace BotSociety.DevHost.Storage;

/// <summary>
/// Whether a storage account answers, asked once per account when devhost starts its listeners and timers. A
/// setting that names storage nobody runs (the sample's <c>UseDevelopmentStorage=true</c> without Azurite) then
/// costs one clear line instead of a retry loop per function.
/// </summary>
internal sealed class StorageProbes
{
    private readonly ConcurrentDictionary<(StorageAccount Account, string Service), Lazy<Task<string?>>> probes = new();

    /// <summary>Null when the account's queue service answers, else why not.</summary>
    public Task<string?> QueuesAsync(StorageAccount account, CancellationToken cancellationToken) =>
        probes.GetOrAdd((account, "queue"), key => new(() => key.Account.ProbeQueuesAsync(cancellationToken))).Value;

    /// <summary>Null when the host's container exists or was created, else why not.</summary>
    public Task<string?> HostContainerAsync(StorageAccount account, CancellationToken cancellationToken) =>
        probes.GetOrAdd((account, "blob"), key => new(() => key.Account.ProbeBlobsAsync(StorageSettings.HostContainer, cancellationToken))).Value;
}
