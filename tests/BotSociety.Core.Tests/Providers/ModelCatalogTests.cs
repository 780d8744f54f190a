using BotSociety.Core.Bots;
using BotSociety.Core.Llm;
using BotSociety.Core.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests.Providers;

/// <summary>What the config panel may offer: keys from settings or the providers' environment variables, and prices by prefix.</summary>
public sealed class ModelCatalogTests
{
    [Fact]
    public async Task AKeyFromTheProvidersEnvironmentVariableMakesItAvailableWithoutShowingTheKey()
    {
        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs(), new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = ProviderSociety.FakeKey,
        });
        var catalog = society.Services.GetRequiredService<ModelCatalog>();

        var view = catalog.Describe();

        var anthropic = view.Providers.Single(p => p.Id == "anthropic");
        Assert.True(anthropic.KeyConfigured);
        Assert.True(anthropic.Available);
        Assert.Null(catalog.Unavailable("anthropic"));
        Assert.NotNull(catalog.Unavailable("openai"));
        Assert.DoesNotContain(ProviderSociety.FakeKey, System.Text.Json.JsonSerializer.Serialize(view), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatedModelIdFindsItsFamilysPriceByTheLongestPrefix()
    {
        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs());
        var cost = society.Services.GetRequiredService<ModelCost>();

        Assert.Equal("claude-sonnet-4-5", cost.Find("anthropic", "claude-sonnet-4-5-20250929")!.Prefix);
        Assert.Equal("gpt-4o-mini", cost.Find("openai", "gpt-4o-mini-2024-07-18")!.Prefix);
        Assert.Equal("gpt-4o", cost.Find("openai", "gpt-4o-2024-08-06")!.Prefix);
        Assert.Null(cost.Find("openai", "mystery-model"));
        Assert.Equal(0, cost.EstimateUsd("ollama", "anything", new TokenUsage(1_000_000, 1_000_000, 0)));
        Assert.Equal(0, cost.EstimateUsd("offline", "offline-simulator", new TokenUsage(1_000_000, 1_000_000, 0)));
    }

    [Fact]
    public async Task APriceInSettingsOverridesTheCommittedTable()
    {
        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs(), new Dictionary<string, string?>
        {
            ["Pricing:Providers:openai:gpt-4o-mini:InputPerMillionUsd"] = "1",
        });
        var cost = society.Services.GetRequiredService<ModelCost>();

        Assert.Equal(1.0, cost.Find("openai", "gpt-4o-mini")!.Price.InputPerMillionUsd);
        Assert.Equal(0.6, cost.Find("openai", "gpt-4o-mini")!.Price.OutputPerMillionUsd);
    }

    [Fact]
    public void TheValidatorNamesModelProviderWhenTheProviderCannotBeUsed()
    {
        var config = new PersonalityConfig(
            new PersonalitySection("bio", ["curious"], "casual", ["tea"], [], null),
            new BehaviorSection(50, 50, 50, 50, 50, "active"),
            new ModelSection("openai", "gpt-4o-mini", 0.5, 200));

        var errors = PersonalityConfigValidator.Validate(config, provider => provider == "openai" ? "has no key" : null);

        var error = Assert.Single(errors);
        Assert.Equal("model.provider", error.Field);
        Assert.Equal("'openai' has no key", error.Message);
    }
}
