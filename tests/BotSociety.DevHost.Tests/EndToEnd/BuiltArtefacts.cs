namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>The built functions app and devhost the end-to-end tests run; ./test.sh builds them in Release first.</summary>
internal static class BuiltArtefacts
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string FunctionsApp => Path.Combine(RepoRoot, "functions", "bin", "Release", "net10.0");

    public static string DevHostDll => Path.Combine(RepoRoot, "devhost", "bin", "Release", "net10.0", "BotSociety.DevHost.dll");

    public static void EnsureBuilt()
    {
        string[] required =
        [
            Path.Combine(FunctionsApp, "BotSociety.Functions.dll"),
            Path.Combine(FunctionsApp, "functions.metadata"),
            Path.Combine(FunctionsApp, "worker.config.json"),
            DevHostDll,
        ];
        var missing = required.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Build artefacts are missing ({string.Join(", ", missing)}): run `dotnet build -c Release` in {RepoRoot} first.");
        }
    }

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BotSociety.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No BotSociety.sln above {AppContext.BaseDirectory}.");
    }
}
