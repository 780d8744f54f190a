using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace BotSociety.DevHost.Storage;

/// <summary>
/// One storage account as an app setting names it (a connection string, or <c>UseDevelopmentStorage=true</c> for
/// Azurite on its default ports), with the queue and blob clients devhost uses on it.
/// </summary>
internal sealed class StorageAccount
{
    // A dev host should say quickly that storage is gone rather than hang a poll or a lease renewal for the
    // SDK's default 100 s; two quick retries ride out a busy emulator.
    private static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly QueueServiceClient probeQueues;
    private readonly BlobServiceClient probeBlobs;

    private StorageAccount(string settingName, string connectionString)
    {
        SettingName = settingName;
        Queues = new QueueServiceClient(connectionString, QueueOptions(retries: 2, NetworkTimeout));
        Blobs = new BlobServiceClient(connectionString, BlobOptions(retries: 2, NetworkTimeout));
        probeQueues = new QueueServiceClient(connectionString, QueueOptions(retries: 0, ProbeTimeout));
        probeBlobs = new BlobServiceClient(connectionString, BlobOptions(retries: 0, ProbeTimeout));
    }

    /// <summary>The app setting the connection string came from, e.g. <c>AzureWebJobsStorage</c>.</summary>
    public string SettingName { get; }

    /// <summary>
    /// Queue clients that read and write message text as stored: devhost applies host.json's
    /// <c>messageEncoding</c> itself, so a message that does not decode is its to handle, and a poison message
    /// is copied exactly as it arrived.
    /// </summary>
    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>Where the queues live, for messages: e.g. <c>http://127.0.0.1:10001/devstoreaccount1</c>.</summary>
    public string QueueEndpoint => Queues.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public string BlobEndpoint => Blobs.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    /// <summary>False with the SDK's reason when <paramref name="connectionString"/> is not a storage connection string.</summary>
    public static bool TryCreate(string settingName, string connectionString, out StorageAccount? account, out string error)
    {
        try
        {
            account = new StorageAccount(settingName, connectionString);
            error = "";
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            account = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>One quick request to the queue service; null when it answers, else why not.</summary>
    public async Task<string?> ProbeQueuesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in probeQueues.GetQueuesAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
            {
                break;
            }

            return null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException or IOException
                                   or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Describe(e);
        }
    }

    /// <summary>Creates the host's container (<c>azure-webjobs-hosts</c>) if missing; null when that worked, else why not.</summary>
    public async Task<string?> ProbeBlobsAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            await probeBlobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException or IOException
                                   or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Describe(e);
        }
    }

    /// <summary>The first line of a storage error: the SDK's messages carry the whole response after it.</summary>
    public static string Describe(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[^1] : e;
        var message = inner.Message.ReplaceLineEndings("\n");
        var firstLine = message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? inner.GetType().Name;
        return inner is Azure.RequestFailedException { Status: > 0 } failed ? $"{failed.Status} {firstLine}" : firstLine;
    }

    private static QueueClientOptions QueueOptions(int retries, TimeSpan timeout)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        Configure(options.Retry, retries, timeout);
        return options;
    }

    private static BlobClientOptions BlobOptions(int retries, TimeSpan timeout)
    {
        var options = new BlobClientOptions();
        Configure(options.Retry, retries, timeout);
        return options;
    }

    private static void Configure(RetryOptions retry, int retries, TimeSpan timeout)
    {
        retry.MaxRetries = retries;
        retry.Mode = RetryMode.Exponential;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = timeout;
    }
}
