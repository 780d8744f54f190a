using System.Diagnostics;
using BotSociety.DevHost.Rpc;

namespace BotSociety.DevHost.Worker;

/// <summary>The <c>trace_context</c> every InvocationRequest must carry: the worker dereferences it unconditionally.</summary>
internal static class TraceContexts
{
    /// <summary>The current activity's W3C context (an HTTP request's), or a new root when there is none.</summary>
    public static RpcTraceContext FromCurrent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity
            ? new RpcTraceContext { TraceParent = activity.Id ?? "", TraceState = activity.TraceStateString ?? "" }
            : NewRoot();

    /// <summary>A fresh, unsampled W3C traceparent, for invocations that no request started (timers, admin).</summary>
    public static RpcTraceContext NewRoot() =>
        new() { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00" };
}
