namespace BotSociety.Relay;

/// <summary>The relay's log lines, one method each, with structured fields.</summary>
internal sealed partial class RelayLog(ILogger<RelayLog> logger)
{
    [LoggerMessage(1, LogLevel.Information, "Connection {ConnectionId} opened on hub {Hub} for user {UserId} ({Protocol})")]
    public partial void ConnectionOpened(string connectionId, string hub, string? userId, string protocol);

    [LoggerMessage(2, LogLevel.Information, "Connection {ConnectionId} recovered on hub {Hub}")]
    public partial void ConnectionRecovered(string connectionId, string hub);

    [LoggerMessage(3, LogLevel.Information, "Connection {ConnectionId} lost its socket ({CloseStatus}); recoverable: {Recoverable}")]
    public partial void SocketEnded(string connectionId, string closeStatus, bool recoverable);

    [LoggerMessage(4, LogLevel.Information, "Recovery of connection {ConnectionId} on hub {Hub} refused")]
    public partial void RecoveryRefused(string connectionId, string hub);

    [LoggerMessage(5, LogLevel.Warning, "A client token was refused on hub {Hub}: {Reason}")]
    public partial void ClientTokenRefused(string hub, string reason);

    [LoggerMessage(6, LogLevel.Warning, "A REST call to {Path} was refused: {Reason}")]
    public partial void RestTokenRefused(string path, string reason);

    [LoggerMessage(7, LogLevel.Warning, "A client broke the protocol: {Reason}")]
    public partial void ProtocolViolation(string reason);

    [LoggerMessage(8, LogLevel.Information, "Connection {ConnectionId}: operation refused ({Name}: {Message})")]
    public partial void OperationRefused(string connectionId, string name, string message);

    [LoggerMessage(9, LogLevel.Warning, "A new connection was refused: the relay holds its maximum of {MaxConnections}")]
    public partial void TooManyConnections(int maxConnections);
}
