using BotSociety.Relay.Auth;
using BotSociety.Relay.Connections;
using Microsoft.Extensions.Time.Testing;

namespace BotSociety.Relay.Tests;

public sealed class ConnectionFilterTests
{
    private static readonly Hub Hub = new("chat", () => { });

    [Theory]
    [InlineData("userId eq 'ann'", true)]
    [InlineData("userId ne 'ann'", false)]
    [InlineData("'red' in groups", true)]
    [InlineData("not('red' in groups)", false)]
    [InlineData("'blue' in groups or userId eq 'ann'", true)]
    [InlineData("'blue' in groups and userId eq 'ann'", false)]
    [InlineData("(userId eq 'bob' or userId eq 'ann') and not ('blue' in groups)", true)]
    [InlineData("userId eq null", false)]
    [InlineData("userId eq 'o''neil'", false)]
    public void FilterSelectsByUserAndGroups(string filter, bool matches)
    {
        var connection = Connection("ann", "red");

        Assert.True(ConnectionFilter.TryParse(filter, out var predicate, out _));
        Assert.Equal(matches, predicate!(connection));
    }

    [Theory]
    [InlineData("userId likes 'ann'")]
    [InlineData("userId eq 'ann")]
    [InlineData("(userId eq 'ann'")]
    [InlineData("age gt 'x'")]
    [InlineData("userId in groups")]
    public void BrokenFilterIsRefused(string filter)
    {
        Assert.False(ConnectionFilter.TryParse(filter, out _, out var error));
        Assert.StartsWith("The filter is not valid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotesAreUnescapedInLiterals()
    {
        Assert.True(ConnectionFilter.TryParse("userId eq 'o''neil'", out var predicate, out _));

        Assert.True(predicate!(Connection("o'neil")));
    }

    private static ClientConnection Connection(string userId, params string[] groups)
    {
        var connection = new ClientConnection(Hub, new TokenClaims(userId, [], []), ClientProtocol.Json,
            new ConnectionLimits(10, 1000, TimeSpan.FromSeconds(30)), new FakeTimeProvider());
        Hub.Add(connection, groups);
        return connection;
    }
}
