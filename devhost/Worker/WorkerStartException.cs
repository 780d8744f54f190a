namespace BotSociety.DevHost.Worker;

/// <summary>A worker that did not finish the handshake: it exited, timed out or answered with a failure.</summary>
internal sealed class WorkerStartException(string message) : Exception(message);
