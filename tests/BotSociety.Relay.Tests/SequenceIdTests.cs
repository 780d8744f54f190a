using System.Text;
using System.Text.Json;
using BotSociety.Relay.Messages;

namespace BotSociety.Relay.Tests;

public sealed class SequenceIdTests
{
    [Fact]
    public void SplicedSequenceIdLeavesAValidEnvelope()
    {
        var message = ServerMessages.FromGroup("g", null, new RelayData(DataType.Text, Encoding.UTF8.GetBytes("ä \"quoted\"")));

        using var json = JsonDocument.Parse(message.WithSequenceId(1234567890123).Bytes);

        Assert.Equal(1234567890123, json.RootElement.GetProperty("sequenceId").GetInt64());
        Assert.Equal("ä \"quoted\"", json.RootElement.GetProperty("data").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("fromUserId").ValueKind);
    }
}
