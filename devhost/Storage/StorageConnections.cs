using System.Collections.Concurrent;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Storage;

/// <summary>A binding's storage account, or why there is none.</summary>
/// <param name="Account">The account, or null.</param>
/// <param name="Problem">Why there is no account, as a clause ("app setting 'AzureWebJobsStorage' is not set").</param>
internal sealed record StorageLookup(StorageAccount? Account, string? Problem);

/// <summary>
/// Finds the storage account a binding's <c>connection</c> names, as the WebJobs SDK does
/// (IConfigurationExtensions.GetWebJobsConnectionString): <c>AzureWebJobs{connection}</c> first, then
/// <c>{connection}</c>; no connection means <c>Storage</c>, i.e. <c>AzureWebJobsStorage</c>.
/// </summary>
internal sealed class StorageConnections(AppSettings settings, StorageSettings storage)
{
    private const string Prefix = "AzureWebJobs";
    private const string DefaultConnection = "Storage";

    private readonly ConcurrentDictionary<string, StorageLookup> accounts = new(StringComparer.OrdinalIgnoreCase);

    public StorageLookup Find(string? connection)
    {
        var name = string.IsNullOrWhiteSpace(connection) ? DefaultConnection : connection;
        string[] candidates = [Prefix + name, name];
        var setting = candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(settings[c]));
        if (setting is null)
        {
            var tried = name.Equals(DefaultConnection, StringComparison.OrdinalIgnoreCase) || name.Equals(StorageSettings.HostStorageSetting, StringComparison.OrdinalIgnoreCase)
                ? $"app setting '{StorageSettings.HostStorageSetting}' is not set"
                : $"neither app setting '{Prefix + name}' nor '{name}' is set";
            return new StorageLookup(null, tried);
        }

        if (setting.Equals(StorageSettings.HostStorageSetting, StringComparison.OrdinalIgnoreCase))
        {
            // Parsed and checked when devhost started.
            return new StorageLookup(storage.HostStorage, null);
        }

        return accounts.GetOrAdd(setting, s => StorageAccount.TryCreate(s, settings[s]!, out var account, out var error)
            ? new StorageLookup(account, null)
            : new StorageLookup(null, $"app setting '{s}' is not a storage connection string: {error}"));
    }
}
