using BotSociety.Relay.Configuration;
using BotSociety.Relay.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BotSociety.Relay.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void ConnectionStringIsReadAsTheSdkReadsIt()
    {
        Assert.True(ConnectionString.TryParse("endpoint=http://localhost;Port=8080;AccessKey=abc==;Version=1.0;", out var parsed, out _));

        Assert.Equal(new Uri("http://localhost:8080/"), parsed!.Endpoint);
        Assert.Equal("abc==", parsed.AccessKey);
    }

    [Fact]
    public void EndpointWithoutSchemeBecomesHttps()
    {
        Assert.True(ConnectionString.TryParse("Endpoint=x.example.com;AccessKey=k;", out var parsed, out _));

        Assert.Equal(new Uri("https://x.example.com/"), parsed!.Endpoint);
    }

    [Theory]
    [InlineData("AccessKey=k;Version=1.0;", "has no Endpoint")]
    [InlineData("Endpoint=http://localhost;Version=1.0;", "has no AccessKey")]
    [InlineData("Endpoint=http://localhost;Port=http;AccessKey=k", "has a Port that is not a port number: http")]
    public void BrokenConnectionStringSaysWhatIsWrong(string text, string error)
    {
        Assert.False(ConnectionString.TryParse(text, out _, out var actual));
        Assert.Equal(error, actual);
    }

    [Fact]
    public async Task ShortAccessKeyFailsAtStartNamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => RelayServer.StartAsync(new()
        {
            ["Relay:ConnectionString"] = "Endpoint=http://localhost;AccessKey=short;Version=1.0;",
        }));

        Assert.Contains("Relay:ConnectionString has an AccessKey shorter than 32 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutOfRangeLimitFailsAtStart()
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => RelayServer.StartAsync(new() { ["Relay:MaxConnections"] = "0" }));
    }
}
