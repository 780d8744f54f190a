namespace BotSociety.DevHost.Worker;

/// <summary>
/// The last lines one worker process wrote (stdout, stderr and its logs): the evidence when it dies. Stack frames
/// are left out: they would push the one line that matters, the exception's message, out of the tail.
/// </summary>
internal sealed class WorkerOutput(int capacity = 8)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    public void Add(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith("at ", StringComparison.Ordinal) || trimmed.StartsWith("--- ", StringComparison.Ordinal))
        {
            return;
        }

        lock (gate)
        {
            if (lines.Count == capacity)
            {
                lines.Dequeue();
            }

            lines.Enqueue(trimmed);
        }
    }

    /// <summary>The kept lines on one line, so a startup failure is reported as exactly one line.</summary>
    public string Tail()
    {
        lock (gate)
        {
            return lines.Count == 0 ? "(no output)" : string.Join(" | ", lines.Select(l => l.ReplaceLineEndings(" ")));
        }
    }
}
