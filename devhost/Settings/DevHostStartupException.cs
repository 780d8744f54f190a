namespace BotSociety.DevHost.Settings;

/// <summary>A setting, file or worker that keeps devhost from starting; its message is the one line the user reads.</summary>
internal sealed class DevHostStartupException(string message) : Exception(message);
