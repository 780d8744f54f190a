using System.Threading.Channels;

namespace BotSociety.Core.Alerts;

/// <summary>
/// The evaluator's nudge to the webhook sender after a commit that wrote deliveries, so a firing is sent at once
/// rather than at the next poll. Pokes while the sender is busy fold into one: it reads every pending row anyway.
/// </summary>
public sealed class AlertDeliverySignal
{
    private readonly Channel<bool> pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Poke() => pokes.Writer.TryWrite(true);

    /// <summary>Returns when poked, after <paramref name="timeout"/>, or when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, wake.Token);
        var poked = pokes.Reader.WaitToReadAsync(wake.Token).AsTask();
        await Task.WhenAny(delay, poked);

        // The loser is cancelled rather than left waiting, so idle polls do not pile up waiters on the channel.
        await wake.CancelAsync();
        pokes.Reader.TryRead(out _);
    }
}
