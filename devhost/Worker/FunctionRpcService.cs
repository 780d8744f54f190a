using BotSociety.DevHost.Rpc;
using Grpc.Core;

namespace BotSociety.DevHost.Worker;

/// <summary>The gRPC side of the protocol: the worker dials in, says StartStream, and the stream lives as long as the worker.</summary>
internal sealed partial class FunctionRpcService(WorkerRendezvous rendezvous, ILogger<FunctionRpcService> logger) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken) || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            LogNoStartStream(logger);
            return;
        }

        var workerId = requestStream.Current.StartStream.WorkerId;
        if (rendezvous.Attach(workerId) is not { } channel)
        {
            LogUnknownWorker(logger, workerId);
            return;
        }

        var writing = WriteAsync(channel, responseStream, cancellationToken);
        var reason = "the worker closed its stream";
        try
        {
            while (await requestStream.MoveNext(cancellationToken))
            {
                channel.Receive(requestStream.Current);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Grpc.Core.RpcException)
        {
            reason = "the worker's connection dropped";
        }
        finally
        {
            channel.Close(reason);
        }

        await writing;
    }

    private static async Task WriteAsync(WorkerChannel channel, IServerStreamWriter<StreamingMessage> responseStream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in channel.Outbound.ReadAllAsync(cancellationToken))
            {
                await responseStream.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The worker is gone; the reader side has already closed the channel or is about to.
            channel.Close("the worker's connection dropped");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client opened the EventStream without StartStream; closed it")]
    private static partial void LogNoStartStream(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker '{WorkerId}' is not the worker devhost launched; closed its stream")]
    private static partial void LogUnknownWorker(ILogger logger, string workerId);
}
