using System.Text;
using BotSociety.Core.Bots;
using BotSociety.Core.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotSociety.Core.Tests;

public sealed class ConfigTests
{
    [Fact]
    public async Task ConfigChangeShowsInTheNextHeartbeatsPromptAndPublishesConfigUpdated()
    {
        var events = new RecordingPublisher();
        var calls = new List<CallbackChatClient.Call>();
        await using var society = await TestSociety.StartAsync(services =>
        {
            TestSociety.WithModel(call =>
            {
                calls.Add(call);
                return """{"action":"rest","reason":"tired"}""";
            })(services);
            services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(events));
        });
        var configs = society.Services.GetRequiredService<BotConfigService>();
        var ada = await society.BotIdAsync("Ada");

        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);
        Assert.Contains("shyness=20", Assert.Single(calls).Prompt, StringComparison.Ordinal);

        var result = await configs.UpdateAsync(ada, Body("""{"behavior": {"shyness": 85}, "model": {"temperature": 0.9}}"""), expectedVersion: 0, CancellationToken.None);

        Assert.Equal(ConfigWriteStatus.Done, result.Status);
        Assert.Equal(1, result.Config!.Version);
        Assert.Equal(85, result.Config.Behavior.Shyness);
        Assert.Equal(65, result.Config.Behavior.Skepticism);
        await society.OnlyDueAsync("Ada");
        await society.TickAsync(TimeSpan.Zero);
        Assert.Equal(2, calls.Count);
        Assert.Contains("shyness=85", calls[1].Prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("shyness=20", calls[1].Prompt, StringComparison.Ordinal);
        Assert.Equal(0.9f, calls[1].Options?.Temperature);

        var updated = Assert.Single(events.Events, e => e.Type == SocietyEventTypes.ConfigUpdated);
        Assert.Equal(ada, updated.BotId);
        Assert.Equal("Ada", updated.BotName);
        Assert.Equal("""["behavior.shyness","model.temperature"]""", updated.Details["fields"]!.ToJsonString());
        Assert.Equal(1, (int)updated.Details["version"]!);
    }

    [Fact]
    public async Task InvalidOrStaleUpdateChangesNothingAndResetRestoresThePersonaFile()
    {
        var events = new RecordingPublisher();
        await using var society = await TestSociety.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<IEventPublisher>(events)));
        var configs = society.Services.GetRequiredService<BotConfigService>();
        var bram = await society.BotIdAsync("Bram");
        var original = (await configs.GetAsync(bram, CancellationToken.None))!;

        var invalid = await configs.UpdateAsync(
            bram, Body("""{"behavior": {"skepticism": 140, "mood": 3}, "model": {"temperature": "hot", "provider": "acme"}}"""), null, CancellationToken.None);
        var changed = await configs.UpdateAsync(bram, Body("""{"personality": {"interests": ["tea"]}}"""), null, CancellationToken.None);
        var stale = await configs.UpdateAsync(bram, Body("""{"behavior": {"aggression": 99}}"""), expectedVersion: 0, CancellationToken.None);
        var reset = await configs.ResetAsync(bram, expectedVersion: 1, CancellationToken.None);

        Assert.Equal(ConfigWriteStatus.Invalid, invalid.Status);
        Assert.Equal(["behavior.mood", "model.temperature", "behavior.skepticism", "model.provider"], invalid.Errors.Select(e => e.Field));
        Assert.Equal(["tea"], changed.Config!.Personality.Interests);
        Assert.Equal(ConfigWriteStatus.VersionMismatch, stale.Status);
        Assert.Equal(1, stale.CurrentVersion);
        Assert.Equal(ConfigWriteStatus.Done, reset.Status);
        Assert.Equal(2, reset.Config!.Version);
        Assert.Equal(original.Personality.Interests, reset.Config.Personality.Interests);
        Assert.Equal(original.Behavior, reset.Config.Behavior);

        var history = (await configs.HistoryAsync(bram, new Data.Paging(10, 0), CancellationToken.None))!;
        Assert.Equal(["reset", "update"], history.Items.Select(i => i.Kind));
        Assert.Equal(["personality.interests"], history.Items[1].Fields);
        Assert.Equal(["personality.interests"], history.Items[0].Fields);
        Assert.Equal(["config_updated", "config_reset"], events.Events.Select(e => e.Action));
        await using var db = society.Db();
        Assert.Equal(2, await db.ConfigChanges.CountAsync());
    }

    [Fact]
    public async Task ResetWithThePersonaFileGoneIsNotFoundAndChangesNothing()
    {
        var personas = Directory.CreateTempSubdirectory("botsociety-personas-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "personas"), "*.yaml"))
            {
                File.Copy(file, Path.Combine(personas, Path.GetFileName(file)));
            }

            await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?> { ["Society:PersonasDirectory"] = personas });
            var configs = society.Services.GetRequiredService<BotConfigService>();
            var cleo = await society.BotIdAsync("Cleo");
            await configs.UpdateAsync(cleo, Body("""{"behavior": {"shyness": 3}}"""), null, CancellationToken.None);
            File.Delete(Path.Combine(personas, "cleo.yaml"));

            var reset = await configs.ResetAsync(cleo, null, CancellationToken.None);

            Assert.Equal(ConfigWriteStatus.PersonaNotFound, reset.Status);
            Assert.Contains("cleo.yaml", reset.Detail, StringComparison.Ordinal);
            var config = (await configs.GetAsync(cleo, CancellationToken.None))!;
            Assert.Equal(3, config.Behavior.Shyness);
            Assert.Equal(1, config.Version);
        }
        finally
        {
            Directory.Delete(personas, recursive: true);
        }
    }

    private static MemoryStream Body(string json) => new(Encoding.UTF8.GetBytes(json));
}
