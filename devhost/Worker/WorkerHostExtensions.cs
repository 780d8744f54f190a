using BotSociety.DevHost.Hosting;

namespace BotSociety.DevHost.Worker;

/// <summary>Registers the worker's launch, its gRPC channel and its supervision.</summary>
internal static class WorkerHostExtensions
{
    public static WebApplicationBuilder AddWorkerHost(this WebApplicationBuilder builder)
    {
        // The worker is told it may send messages of any size (--functions-grpc-max-message-length int.MaxValue).
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton<WorkerRendezvous>();
        builder.Services.AddSingleton<WorkerReadiness>();
        builder.Services.AddSingleton<ProcessLauncher>();
        builder.Services.AddSingleton<WorkerRpcEndpoint>();
        builder.Services.AddSingleton<FunctionCatalog>();
        builder.Services.AddSingleton<DevHostExit>();
        builder.Services.AddSingleton<WorkerSupervisor>();
        builder.Services.AddSingleton<IFunctionInvoker>(services => services.GetRequiredService<WorkerSupervisor>());
        builder.Services.AddHostedService(services => services.GetRequiredService<WorkerSupervisor>());
        return builder;
    }

    /// <summary>The EventStream the worker dials; reachable only on the loopback HTTP/2 port (the public port speaks HTTP/1.1).</summary>
    public static IEndpointRouteBuilder MapWorkerRpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<FunctionRpcService>();
        return endpoints;
    }
}
