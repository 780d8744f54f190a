using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BotSociety.DevHost.Storage;

namespace BotSociety.DevHost.Timers;

/// <summary>
/// The lock that makes a timer a singleton across devhosts: a lease on the blob the Functions host uses for its
/// timer listener (SingletonListener with BlobLeaseDistributedLockManager):
/// <c>azure-webjobs-hosts/locks/{hostId}/Host.Functions.{Function}.Listener</c>. Whoever holds the lease fires
/// the timer; the lease runs out on its own when its holder dies, however it dies.
/// </summary>
internal sealed class TimerLock(BlobClient blob, TimeSpan period)
{
    // One proposed lease id per devhost and lock: acquiring again what this devhost already holds succeeds.
    private readonly string leaseId = Guid.NewGuid().ToString();

    public string BlobName => blob.Name;

    /// <summary>The lock blob's name for a timer function, as the host's SingletonManager forms it.</summary>
    public static string BlobNameFor(string hostId, string functionName) => $"locks/{hostId}/{FunctionFullName(functionName)}.Listener";

    /// <summary>The name the host gives a function of a worker app: its generated type is <c>Host.Functions</c>.</summary>
    public static string FunctionFullName(string functionName) => $"Host.Functions.{functionName}";

    public static TimerLock For(StorageAccount account, string hostId, string functionName, TimeSpan period) =>
        new(account.Blobs.GetBlobContainerClient(StorageSettings.HostContainer).GetBlobClient(BlobNameFor(hostId, functionName)), period);

    /// <summary>True when this devhost now holds the lease; false when another does.</summary>
    /// <exception cref="RequestFailedException">Storage failed (the caller treats it as not holding).</exception>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AcquireAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // First use of this lock (or of the account): create the blob, then try again.
            await CreateAsync(cancellationToken);
            return await AcquireAsync(cancellationToken);
        }
    }

    /// <summary>True when the lease was renewed; false when it is no longer this devhost's (it ran out and was taken).</summary>
    /// <exception cref="RequestFailedException">Storage failed; the lease may still be held.</exception>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            await blob.GetBlobLeaseClient(leaseId).RenewAsync(cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Gives the lease up, so another devhost takes over at its next try rather than when the lease runs out.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await blob.GetBlobLeaseClient(leaseId).ReleaseAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // Not ours any more: nothing to give up.
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            await blob.GetBlobLeaseClient(leaseId).AcquireAsync(period, cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // LeaseAlreadyPresent: another devhost holds it.
            return false;
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            // If-None-Match: * so a blob another devhost just created (and maybe leased) is left alone.
            using var empty = new MemoryStream(Encoding.UTF8.GetBytes(""));
            await blob.UploadAsync(empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // It exists now.
        }
    }
}
