namespace BotSociety.DevHost.Hosting;

/// <summary>Ends devhost with a non-zero exit code and one line on stderr saying why.</summary>
internal sealed class DevHostExit(IHostApplicationLifetime lifetime)
{
    public int Code { get; private set; }

    public void Fail(string reason)
    {
        Console.Error.WriteLine($"devhost: {reason.ReplaceLineEndings(" ")}");
        Code = 1;
        lifetime.StopApplication();
    }
}
