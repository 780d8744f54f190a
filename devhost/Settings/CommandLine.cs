using System.Globalization;

namespace BotSociety.DevHost.Settings;

/// <summary>Reads devhost's command line; anything it does not know is an error, so a typo never goes unnoticed.</summary>
internal static class CommandLine
{
    public const string Usage =
        "usage: dotnet BotSociety.DevHost.dll --script-root <dir of the built functions app> [--settings <local.settings.json>] [--port <n>] [--static-root <dir>]\n" +
        "  --script-root  folder holding functions.metadata, worker.config.json and host.json (e.g. functions/bin/Release/net10.0)\n" +
        "  --settings     app settings whose Values are passed to the worker (default: <script-root>/local.settings.json)\n" +
        "  --port         public HTTP port on localhost (default: $PORT, else 7071)\n" +
        "  --static-root  the built dashboard to serve at / with its staticwebapp.config.json (e.g. static-web/dist)";

    /// <summary>
    /// Parses <paramref name="args"/>; <paramref name="portVariable"/> is the PORT environment variable. False with
    /// an empty <paramref name="error"/> means help was asked for.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, string? portVariable, out DevHostOptions? options, out string error)
    {
        options = null;
        string? scriptRoot = null;
        string? settings = null;
        string? port = null;
        string? staticRoot = null;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = "";
                return false;
            }

            if (name is not ("--script-root" or "--settings" or "--port" or "--static-root"))
            {
                error = $"unknown argument '{name}'";
                return false;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            switch (name)
            {
                case "--script-root": scriptRoot = value; break;
                case "--settings": settings = value; break;
                case "--static-root": staticRoot = value; break;
                default: port = value; break;
            }
        }

        if (scriptRoot is null)
        {
            error = "--script-root is required";
            return false;
        }

        var portText = port ?? (string.IsNullOrWhiteSpace(portVariable) ? null : portVariable);
        var portNumber = DevHostOptions.DefaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            error = port is null
                ? $"the PORT environment variable '{portText}' is not a port number (1-65535)"
                : $"--port '{portText}' is not a port number (1-65535)";
            return false;
        }

        var root = Path.GetFullPath(scriptRoot);
        options = new DevHostOptions(
            root,
            Path.GetFullPath(settings ?? Path.Combine(root, "local.settings.json")),
            SettingsGiven: settings is not null,
            portNumber,
            staticRoot is null ? null : Path.GetFullPath(staticRoot));
        error = "";
        return true;
    }
}
