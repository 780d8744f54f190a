using BotSociety.Relay.Connections;
using BotSociety.Relay.Messages;

namespace BotSociety.Relay.Tests;

public sealed class ReliableBufferTests
{
    [Fact]
    public void AckOfNDropsEverythingUpToNAndKeepsTheRest()
    {
        var buffer = new ReliableBuffer(10, 1000);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(buffer.TryAppend(Frame.Text(new byte[10])));
        }

        buffer.Acknowledge(3);

        Assert.Equal(4, buffer.FirstSequenceId);
        Assert.Equal(6, buffer.NextSequenceId);
        Assert.Equal(20, buffer.BufferedBytes);
        Assert.False(buffer.TryGet(3, out _));
        Assert.True(buffer.TryGet(5, out _));
    }

    [Fact]
    public void AcksOutOfRangeChangeNothingOrEverything()
    {
        var buffer = new ReliableBuffer(10, 1000);
        buffer.TryAppend(Frame.Text(new byte[1]));
        buffer.TryAppend(Frame.Text(new byte[1]));

        buffer.Acknowledge(0);
        Assert.Equal(2, buffer.Count);
        buffer.Acknowledge(99);
        Assert.Equal(0, buffer.Count);
        Assert.Equal(3, buffer.NextSequenceId);
    }

    [Fact]
    public void EitherLimitRefusesTheNextFrame()
    {
        var byCount = new ReliableBuffer(2, 1000);
        var byBytes = new ReliableBuffer(100, 15);

        Assert.True(byCount.TryAppend(Frame.Text(new byte[1])) && byCount.TryAppend(Frame.Text(new byte[1])));
        Assert.False(byCount.TryAppend(Frame.Text(new byte[1])));
        Assert.True(byBytes.TryAppend(Frame.Text(new byte[10])));
        Assert.False(byBytes.TryAppend(Frame.Text(new byte[10])));
    }
}
