using System.Globalization;
using System.Text;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Storage;

/// <summary>
/// What storage-backed behaviour runs on: the host's own storage account (<c>AzureWebJobsStorage</c>), the host id
/// that makes several devhosts instances of one app, and devhost's two lease settings. Read once at start from the
/// app settings (an exported variable wins over local.settings.json), each wrong value stopping devhost with a
/// line that names it.
/// </summary>
/// <param name="HostStorage">The host's storage account, or null when <c>AzureWebJobsStorage</c> is not set.</param>
/// <param name="HostId">Locks and timer status live under this id: the same id on one account means one app.</param>
/// <param name="QueueMessageLease">How long a dequeued message stays invisible; renewed at half of it while its invocation runs.</param>
/// <param name="TimerLease">The lease on a timer's lock blob; the holder renews it at half of it.</param>
internal sealed record StorageSettings(StorageAccount? HostStorage, string HostId, TimeSpan QueueMessageLease, TimeSpan TimerLease)
{
    public const string HostStorageSetting = "AzureWebJobsStorage";

    /// <summary>The Functions host's own setting for the host id (ConfigurationSectionNames.HostIdPath).</summary>
    public const string HostIdSetting = "AzureFunctionsWebHost__hostid";

    /// <summary>The host.json <c>id</c> override older hosts read; accepted so either spelling works here.</summary>
    public const string LegacyHostIdSetting = "AzureFunctionsJobHost__id";

    public const string QueueMessageLeaseSetting = "DevHost__QueueMessageLeaseSeconds";
    public const string TimerLeaseSetting = "DevHost__TimerLeaseSeconds";

    /// <summary>The Storage Queues extension dequeues with a 10-minute visibility and renews it (QueueListener).</summary>
    public static readonly TimeSpan DefaultQueueMessageLease = TimeSpan.FromMinutes(10);

    /// <summary>SingletonOptions.ListenerLockPeriod: the timer listener's lock is a one-minute blob lease.</summary>
    public static readonly TimeSpan DefaultTimerLease = TimeSpan.FromSeconds(60);

    /// <summary>The container the host keeps its locks and timer status in (HostContainerNames.Hosts).</summary>
    public const string HostContainer = "azure-webjobs-hosts";

    private const int MaximumHostIdLength = 32;

    // Blob leases last 15 to 60 seconds; a queue message may stay invisible up to seven days.
    private const int ShortestTimerLease = 15;
    private const int LongestTimerLease = 60;
    private const int LongestQueueMessageLease = 7 * 24 * 60 * 60;

    /// <exception cref="DevHostStartupException">A setting is present but wrong.</exception>
    public static StorageSettings Load(AppSettings settings, string scriptRoot)
    {
        StorageAccount? account = null;
        if (settings[HostStorageSetting] is { } connection && !string.IsNullOrWhiteSpace(connection)
            && !StorageAccount.TryCreate(HostStorageSetting, connection, out account, out var error))
        {
            throw new DevHostStartupException(
                $"app setting '{HostStorageSetting}' is not a storage connection string (use \"UseDevelopmentStorage=true\" for Azurite on its default ports, or the account's full connection string): {error}");
        }

        return new StorageSettings(
            account,
            ResolveHostId(settings, scriptRoot),
            Seconds(settings, QueueMessageLeaseSetting, DefaultQueueMessageLease, 1, LongestQueueMessageLease),
            Seconds(settings, TimerLeaseSetting, DefaultTimerLease, ShortestTimerLease, LongestTimerLease));
    }

    /// <summary>
    /// The configured id, else the Functions host's local default: the machine name's letters and digits, a dash
    /// and a stable hash of the app's folder, at most 32 characters, lower case. Two devhosts running the same
    /// build on one machine therefore share their locks unless one is given another id.
    /// </summary>
    public static string ResolveHostId(AppSettings settings, string scriptRoot)
    {
        foreach (var name in (string[])[HostIdSetting, LegacyHostIdSetting])
        {
            if (settings[name] is { } configured && !string.IsNullOrWhiteSpace(configured))
            {
                return IsValidHostId(configured)
                    ? configured
                    : throw new DevHostStartupException(
                        $"app setting '{name}' must be 1 to {MaximumHostIdLength} lower-case letters, digits and single dashes, not starting or ending with a dash; got '{configured}'");
            }
        }

        return DefaultHostId(Environment.MachineName, scriptRoot);
    }

    /// <summary>ScriptHostIdProvider's id for a host that is not in App Service.</summary>
    public static string DefaultHostId(string machineName, string scriptRoot)
    {
        var letters = new StringBuilder();
        foreach (var c in machineName.Where(char.IsLetterOrDigit))
        {
            letters.Append(c);
        }

        // long: the host's Math.Abs(int) would throw on int.MinValue.
        var id = $"{letters}-{Math.Abs((long)StableHash(scriptRoot)).ToString(CultureInfo.InvariantCulture)}";
        if (id.Length > MaximumHostIdLength)
        {
            id = id[..MaximumHostIdLength];
        }

        return id.ToLowerInvariant().TrimEnd('-');
    }

    /// <summary>The host's Utility.GetStableHash: the same value on every machine and run, unlike string.GetHashCode.</summary>
    public static int StableHash(string value)
    {
        unchecked
        {
            var hash = 23;
            foreach (var c in value)
            {
                hash = (hash * 31) + c;
            }

            return hash;
        }
    }

    private static bool IsValidHostId(string id) =>
        id.Length <= MaximumHostIdLength
        && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && !id.StartsWith('-') && !id.EndsWith('-') && !id.Contains("--", StringComparison.Ordinal);

    private static TimeSpan Seconds(AppSettings settings, string name, TimeSpan fallback, int minimum, int maximum)
    {
        var text = settings[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= minimum && seconds <= maximum
            ? TimeSpan.FromSeconds(seconds)
            : throw new DevHostStartupException($"app setting '{name}' must be a whole number of seconds from {minimum} to {maximum}; got '{text}'");
    }
}
