using System.Text.Json;
using BotSociety.Relay.Auth;
using BotSociety.Relay.Connections;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotSociety.Relay.Endpoints;

/// <summary>
/// Existence checks, group membership, permissions and token generation. HEAD checks answer 200 or 404 and nothing
/// else; adding an unknown connection to a group is the one 404 the SDK expects from a write.
/// </summary>
internal static class RestGroupEndpoints
{
    public static void MapRestGroups(this RouteGroupBuilder hub)
    {
        hub.MapMethods("/connections/{connectionId}", [HttpMethods.Head], (HttpContext context) =>
            Exists(context.Hub().Find(context.RouteValue("connectionId")) is not null));
        hub.MapMethods("/groups/{group}", [HttpMethods.Head], (HttpContext context) =>
            Exists(context.Hub().GroupExists(context.RouteValue("group"))));
        hub.MapMethods("/users/{userId}", [HttpMethods.Head], (HttpContext context) =>
            Exists(context.Hub().UserExists(context.RouteValue("userId"))));

        hub.MapPut("/groups/{group}/connections/{connectionId}", (HttpContext context) => WithGroup(context, group =>
        {
            var connectionId = context.RouteValue("connectionId");
            if (context.Hub().Find(connectionId) is not { } connection)
            {
                return RestErrors.NotFound($"Connection id {connectionId} doesn't exist.");
            }

            context.Hub().Join(connection, group);
            return TypedResults.Ok();
        }));
        hub.MapDelete("/groups/{group}/connections/{connectionId}", (HttpContext context) => WithGroup(context, group =>
        {
            if (context.Hub().Find(context.RouteValue("connectionId")) is { } connection)
            {
                context.Hub().Leave(connection, group);
            }

            return TypedResults.NoContent();
        }));
        hub.MapPut("/users/{userId}/groups/{group}", (HttpContext context) => WithGroup(context, group =>
        {
            context.Hub().AddUserToGroup(context.RouteValue("userId"), group);
            return TypedResults.Ok();
        }));
        hub.MapDelete("/users/{userId}/groups/{group}", (HttpContext context) => WithGroup(context, group =>
        {
            context.Hub().RemoveUserFromGroup(context.RouteValue("userId"), group);
            return TypedResults.NoContent();
        }));
        hub.MapDelete("/users/{userId}/groups", (HttpContext context) =>
        {
            context.Hub().RemoveUserFromAllGroups(context.RouteValue("userId"));
            return TypedResults.NoContent();
        });
        hub.MapDelete("/connections/{connectionId}/groups", (HttpContext context) =>
        {
            if (context.Hub().Find(context.RouteValue("connectionId")) is { } connection)
            {
                context.Hub().LeaveAll(connection);
            }

            return TypedResults.NoContent();
        });
        hub.MapPost("/:addToGroups", (HttpContext context, GroupsRequest request) => ChangeGroups(context, request, join: true));
        hub.MapPost("/:removeFromGroups", (HttpContext context, GroupsRequest request) => ChangeGroups(context, request, join: false));
        hub.MapGet("/groups/{group}/connections", (HttpContext context, int? top) => WithGroup(context, group =>
        {
            var members = context.Hub().InGroup(group)
                .Take(top is > 0 ? top.Value : int.MaxValue)
                .Select(connection => new GroupMember(connection.Id, connection.UserId));
            return TypedResults.Json(new GroupMembers([.. members]), JsonSerializerOptions.Web);
        }));

        hub.MapPut("/permissions/{permission}/connections/{connectionId}", (HttpContext context, string? targetName) =>
            WithPermission(context, (connection, permission) =>
            {
                connection.Grant(Permissions.Role(permission, targetName));
                return TypedResults.Ok();
            }));
        hub.MapDelete("/permissions/{permission}/connections/{connectionId}", (HttpContext context, string? targetName) =>
            WithPermission(context, (connection, permission) =>
            {
                connection.Revoke(Permissions.Role(permission, targetName));
                return TypedResults.NoContent();
            }, missingConnection: TypedResults.NoContent()));
        hub.MapMethods("/permissions/{permission}/connections/{connectionId}", [HttpMethods.Head], (HttpContext context, string? targetName) =>
            WithPermission(context, (connection, permission) => Exists(Permissions.Has(connection, permission, targetName)),
                missingConnection: Exists(false)));
    }

    private static StatusCodeHttpResult Exists(bool exists) => TypedResults.StatusCode(exists ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);

    private static IResult WithGroup(HttpContext context, Func<string, IResult> action)
    {
        var group = context.RouteValue("group");
        return RestContext.IsValidGroup(group) ? action(group) : RestErrors.BadRequest("A group name has 1 to 1024 characters and not only whitespace.");
    }

    private static IResult WithPermission(HttpContext context, Func<ClientConnection, string, IResult> action, IResult? missingConnection = null)
    {
        var permission = context.RouteValue("permission");
        if (!Permissions.IsKnown(permission))
        {
            return RestErrors.BadRequest($"Unknown permission '{permission}': joinLeaveGroup or sendToGroup.");
        }

        var connectionId = context.RouteValue("connectionId");
        return context.Hub().Find(connectionId) is { } connection
            ? action(connection, permission)
            : missingConnection ?? RestErrors.NotFound($"Connection id {connectionId} doesn't exist.");
    }

    private static IResult ChangeGroups(HttpContext context, GroupsRequest request, bool join)
    {
        if (request.Groups is not { Count: > 0 } groups || !groups.All(RestContext.IsValidGroup))
        {
            return RestErrors.BadRequest("The body needs a non-empty groups list of valid group names.");
        }

        if (!ConnectionFilter.TryParse(request.Filter, out var filter, out var error))
        {
            return RestErrors.BadRequest(error);
        }

        var hub = context.Hub();
        foreach (var connection in hub.All(filter))
        {
            foreach (var group in groups)
            {
                if (join)
                {
                    hub.Join(connection, group);
                }
                else
                {
                    hub.Leave(connection, group);
                }
            }
        }

        return TypedResults.Ok();
    }

    internal sealed record GroupsRequest(IReadOnlyList<string>? Groups, string? Filter);

    internal sealed record GroupMember(string ConnectionId, string? UserId);

    internal sealed record GroupMembers(IReadOnlyList<GroupMember> Value);
}
