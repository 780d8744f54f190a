using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using BotSociety.Core;
using BotSociety.DevHost.Tests.EndToEnd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using YamlDotNet.RepresentationModel;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The containerised deploy names every setting the app checks at start, so none is left to a default by
/// accident and none is misspelt. The settings are discovered from the code, not listed here: every options class
/// the composition validates (its SectionName and public settable properties), and every <c>%Setting%</c> the
/// built functions' bindings name (the timer schedules). A setting added later fails this test until the functions
/// container's Dockerfile or docker-compose.yml names it.
/// </summary>
public sealed partial class DeploySettingsTests
{
    private static readonly string Repo = BuiltArtefacts.RepoRoot;

    [Fact]
    public void FunctionsContainerNamesEverySettingTheAppValidatesAtStart()
    {
        var named = ContainerSettings();
        var missing = RequiredSettings().Where(setting => !named.Any(n => Names(n, setting))).ToList();
        Assert.True(missing.Count == 0,
            $"docker-compose.yml (service functions) and functions/Dockerfile do not name: {string.Join(", ", missing)}");
    }

    [Fact]
    public void FunctionsContainerNamesNoSettingTheAppDoesNotKnow()
    {
        // A misspelt setting binds to nothing and the default silently wins; only the sections the app binds are checked.
        var sections = ValidatedOptions().Select(o => o.Section).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var known = RequiredSettings();
        var unknown = ContainerSettings()
            .Where(n => n.Split("__")[0] is var section && sections.Contains(section))
            .Where(n => !known.Any(k => Names(n, k)))
            .ToList();
        Assert.True(unknown.Count == 0, $"settings the app does not bind: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void DiscoveryFindsTheValidatedOptionsAndTheTimerSchedules()
    {
        // Without this, a discovery that found nothing would make the tests above pass on any file.
        var options = ValidatedOptions();
        Assert.NotEmpty(options);
        Assert.All(options, o => Assert.NotEmpty(o.Properties));
        Assert.NotEmpty(BindingSettings());
    }

    /// <summary>Environment names the deploy needs: <c>Section__Property</c> of each validated option, and the binding settings.</summary>
    private static List<string> RequiredSettings() =>
        ValidatedOptions()
            .SelectMany(o => o.Properties.Select(p => $"{o.Section}__{p}"))
            .Concat(BindingSettings())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A name covers a setting when it is the setting, or an element of it (a list: <c>Section__Items__0</c>).</summary>
    private static bool Names(string name, string setting) =>
        name.Equals(setting, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(setting + "__", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every options type the real composition validates (AddBotSocietyCore registers a validator for each), with the
    /// section it binds from and the properties configuration can set.
    /// </summary>
    private static List<(string Section, List<string> Properties)> ValidatedOptions()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.AddBotSocietyCore();
        return builder.Services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Distinct()
            .Select(type =>
            {
                var section = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
                    ?? throw new InvalidOperationException($"{type.Name} is validated at start but has no SectionName.");
                var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.SetMethod is { IsPublic: true })
                    .Select(p => p.Name)
                    .ToList();
                return (section, properties);
            })
            .ToList();
    }

    /// <summary>The <c>%Setting%</c> names in the built functions' bindings, as the host resolves them from app settings.</summary>
    private static List<string> BindingSettings()
    {
        var metadata = Path.Combine(BuiltArtefacts.FunctionsApp, "functions.metadata");
        Assert.True(File.Exists(metadata), $"{metadata} is missing: build the solution in Release first.");
        using var document = JsonDocument.Parse(File.ReadAllText(metadata));
        return document.RootElement.EnumerateArray()
            .SelectMany(function => function.GetProperty("bindings").EnumerateArray())
            .SelectMany(binding => binding.EnumerateObject())
            .Where(property => property.Value.ValueKind == JsonValueKind.String)
            .SelectMany(property => AppSettingToken().Matches(property.Value.GetString()!).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// What the functions container gets: its Dockerfile's runtime ENV, the compose service's environment, and the
    /// settings files the published app carries (pricing.json, the price table beneath every other setting).
    /// </summary>
    private static List<string> ContainerSettings() =>
        DockerfileRuntimeEnv().Concat(ComposeEnvironment("functions")).Concat(ShippedSettings("pricing.json")).ToList();

    /// <summary>A JSON settings file of the built app, as the environment names its leaves (<c>A__B__C</c>).</summary>
    private static List<string> ShippedSettings(string file)
    {
        var path = Path.Combine(BuiltArtefacts.FunctionsApp, file);
        Assert.True(File.Exists(path), $"{path} is missing: the app ships it, so the container has it.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return Leaves(document.RootElement, "").ToList();

        static IEnumerable<string> Leaves(JsonElement element, string prefix) => element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().SelectMany(p => Leaves(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}__{p.Name}"))
            : [prefix];
    }

    private static IEnumerable<string> ComposeEnvironment(string service)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repo, "docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        var definition = (YamlMappingNode)services.Children[new YamlScalarNode(service)];
        if (!definition.Children.TryGetValue(new YamlScalarNode("environment"), out var environment))
        {
            return [];
        }

        // Compose takes a map (KEY: value) or a list (- KEY=value).
        return environment switch
        {
            YamlMappingNode map => map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!),
            YamlSequenceNode list => list.Children.Select(i => ((YamlScalarNode)i).Value!.Split('=')[0]),
            _ => [],
        };
    }

    /// <summary>ENV names of the Dockerfile's last stage (the image that runs), continuation lines joined.</summary>
    private static IEnumerable<string> DockerfileRuntimeEnv()
    {
        var text = File.ReadAllText(Path.Combine(Repo, "functions", "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var runtime = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)));
        return runtime
            .Where(l => l.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase))
            .SelectMany(l => DockerEnvName().Matches(l[4..]).Select(m => m.Groups["name"].Value));
    }

    [GeneratedRegex("%(?<name>[^%\\s]+)%")]
    private static partial Regex AppSettingToken();

    [GeneratedRegex("(?:^|\\s)(?<name>[A-Za-z_][A-Za-z0-9_.]*)=")]
    private static partial Regex DockerEnvName();
}
