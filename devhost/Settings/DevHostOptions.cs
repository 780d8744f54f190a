namespace BotSociety.DevHost.Settings;

/// <summary>What devhost was asked to run: the built worker, its app settings and the public port.</summary>
/// <param name="ScriptRoot">The folder of the built functions app (functions.metadata, worker.config.json, host.json).</param>
/// <param name="SettingsPath">The local.settings.json whose <c>Values</c> become the worker's app settings.</param>
/// <param name="SettingsGiven">True when --settings was on the command line: then the file must exist.</param>
/// <param name="Port">The public HTTP port on localhost.</param>
/// <param name="StaticRoot">The built dashboard to serve at <c>/</c>, or null for none.</param>
internal sealed record DevHostOptions(string ScriptRoot, string SettingsPath, bool SettingsGiven, int Port, string? StaticRoot = null)
{
    public const int DefaultPort = 7071;

    public Uri PublicUri => new($"http://localhost:{Port}");
}
