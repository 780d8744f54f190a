using BotSociety.Relay.Auth;
using BotSociety.Relay.Connections;

namespace BotSociety.Relay.Endpoints;

/// <summary>
/// The REST data plane's gate: a Bearer token signed with the AccessKey for this very URL, and a hub the relay
/// serves. Handlers then read the hub from the request.
/// </summary>
internal static class RestContext
{
    private const string HubKey = "BotSociety.Relay.Hub";

    public static RouteGroupBuilder RequireRestToken(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var services = context.RequestServices;
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            if (!services.GetRequiredService<TokenValidator>().TryValidate(token, context.Request, out _, out var error))
            {
                services.GetRequiredService<RelayLog>().RestTokenRefused(context.Request.Path, error);
                return RestErrors.Unauthorized(error);
            }

            var name = RouteValue(context, "hub");
            switch (services.GetRequiredService<HubRegistry>().TryGet(name, out var hub))
            {
                case HubLookup.Invalid:
                    return RestErrors.BadRequest($"'{name}' is not a valid hub name.");
                case HubLookup.Unknown:
                    return RestErrors.NotFound($"The relay serves no hub named '{name}'.");
            }

            context.Items[HubKey] = hub;
            return await next(invocation);
        });
        return group;
    }

    public static Hub Hub(this HttpContext context) => (Hub)context.Items[HubKey]!;

    /// <summary>
    /// The SDK percent-encodes path segments, '/' included; the server decodes everything except %2F, which it
    /// keeps so segments stay apart. That last step is ours.
    /// </summary>
    public static string RouteValue(this HttpContext context, string name) =>
        (context.Request.RouteValues[name]?.ToString() ?? "").Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Group names: 1 to 1024 characters, not only whitespace, as the SDK checks before sending.</summary>
    public static bool IsValidGroup(string group) => group.Length is > 0 and <= 1024 && !string.IsNullOrWhiteSpace(group);
}
