using BotSociety.Relay.Connections;

namespace BotSociety.Relay.Auth;

/// <summary>
/// Roles from the token and grants made through REST share one set of names: <c>webpubsub.joinLeaveGroup</c>
/// (any group) or <c>webpubsub.joinLeaveGroup.&lt;group&gt;</c>, and the same for <c>sendToGroup</c>.
/// </summary>
internal static class Permissions
{
    public const string JoinLeaveGroup = "joinLeaveGroup";
    public const string SendToGroup = "sendToGroup";

    public static bool IsKnown(string permission) => permission is JoinLeaveGroup or SendToGroup;

    public static string Role(string permission, string? target) =>
        string.IsNullOrEmpty(target) ? $"webpubsub.{permission}" : $"webpubsub.{permission}.{target}";

    public static bool Has(ClientConnection connection, string permission, string? target) =>
        connection.HasRole(Role(permission, null)) || (!string.IsNullOrEmpty(target) && connection.HasRole(Role(permission, target)));

    public static bool CanJoinOrLeave(ClientConnection connection, string group) => Has(connection, JoinLeaveGroup, group);

    public static bool CanSendToGroup(ClientConnection connection, string group) => Has(connection, SendToGroup, group);
}
