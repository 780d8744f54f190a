using System.Diagnostics;
using System.Globalization;
using BotSociety.DevHost.Tests.EndToEnd;

namespace BotSociety.ScaleOut.Tests;

/// <summary>The kill: the lease holder dies in the middle of a tick, with the survivor frozen meanwhile.</summary>
public sealed partial class ScaleOutRun
{
    /// <summary>
    /// Kills the holder in the middle of a tick, as a machine dies: right after one of its ticks queued two batches or
    /// more, as soon as its devhost has taken one of them from the queue, so it dies running that batch with the claims
    /// of the whole tick outstanding. The survivor is frozen (SIGSTOP) from just before that tick until after the kill,
    /// for the holder to be the one that takes the batch: otherwise which devhost takes it first is a race. The
    /// holder's worker is frozen too once the tick is queued: the batch its devhost takes then cannot finish before the
    /// kill, however slowly this test polls on a loaded machine (a CI run once saw the holder finish two batches
    /// between the queue's drop and the kill, leaving no batch in flight). Both processes get SIGKILL. Returns a
    /// stopwatch started at the kill, with the survivor still frozen (<see cref="ResumeAsync"/>).
    /// </summary>
    private async Task<Stopwatch> KillMidTickAsync(DevHostProcess holder, DevHostProcess survivor)
    {
        KilledWorkerPid = holder.LatestWorkerPid();
        var queue = azurite.Queues.GetQueueClient("heartbeats");
        var trying = Stopwatch.StartNew();
        while (true)
        {
            // Right after one of the holder's ticks, so the next is at most a period away when the survivor stops.
            var executed = holder.CountLines(DispatchExecuted);
            await WaitBrieflyAsync(() => holder.CountLines(DispatchExecuted) > executed, TimeSpan.FromSeconds(10));
            executed = holder.CountLines(DispatchExecuted);
            var ticks = holder.CountLines(DispatchedLine);
            await SignalAsync(survivor.Pid, "STOP");
            frozen = survivor;

            // devhost writes a timer's queue outputs before it logs the run as executed; a tick that finds nobody due
            // logs no line of its own.
            var batches = 0;
            if (await WaitBrieflyAsync(() => holder.CountLines(DispatchExecuted) > executed, TimeSpan.FromSeconds(5))
                && holder.CountLines(DispatchedLine) > ticks
                && Dispatched().Match(holder.Output.Split('\n').Last(l => l.Contains(DispatchedLine, StringComparison.Ordinal))) is { Success: true } match)
            {
                batches = int.Parse(match.Groups["batches"].Value, CultureInfo.InvariantCulture);
            }

            var giveUp = trying.Elapsed > TimeSpan.FromSeconds(90);
            if (batches >= 2 || giveUp)
            {
                await SignalAsync(KilledWorkerPid, "STOP");
                frozenWorker = KilledWorkerPid;

                // With both the survivor and the holder's worker stopped, a message that leaves the visible queue from
                // now on is one the holder's devhost took and handed to a worker that cannot finish it. What was
                // invisible before may be the survivor's (taken just before it stopped) or a batch the holder's worker
                // was running when it stopped, so only a drop below this baseline counts. The devhost polls every
                // 2 s; a tick whose batches it does not take within 6 s is let go, and the next tick is tried.
                var baseline = (await queue.PeekMessagesAsync(32)).Value.Length;
                var taking = Stopwatch.StartNew();
                var took = false;
                while (batches > 0 && baseline > 0 && taking.Elapsed < TimeSpan.FromSeconds(6))
                {
                    if ((await queue.PeekMessagesAsync(32)).Value.Length < baseline)
                    {
                        took = true;
                        break;
                    }

                    await Task.Delay(20);
                }

                if (took || giveUp)
                {
                    BatchesOfTheTickBeforeTheKill = batches;
                    holder.KillHard();
                    await SignalAsync(KilledWorkerPid, "KILL");
                    frozenWorker = null;
                    return Stopwatch.StartNew();
                }
            }

            await ResumeAsync();
        }
    }

    /// <summary>Lets the frozen survivor, and the holder's worker if it was stopped for a kill that did not come, run again (SIGCONT).</summary>
    private async Task ResumeAsync()
    {
        if (frozenWorker is { } pid)
        {
            frozenWorker = null;
            await SignalAsync(pid, "CONT");
        }

        if (frozen is { } devHost)
        {
            frozen = null;
            await SignalAsync(devHost.Pid, "CONT");
        }
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private async Task WaitForTimerAsync(DevHostProcess survivor, int heldBefore, Stopwatch kill)
    {
        if (await WaitAsync(() => Task.FromResult(survivor.CountLines(HoldsLease) > heldBefore), TimerTakeoverBound + TimeSpan.FromSeconds(30)))
        {
            TimerTakeoverTime = kill.Elapsed;
        }
    }
}
