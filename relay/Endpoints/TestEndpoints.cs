namespace BotSociety.Relay.Endpoints;

/// <summary>
/// Test suites only (Relay:EnableTestEndpoints): drops a connection's socket without a close frame, the network
/// failure a reliable client must recover from. Needs the same REST token as every data-plane call.
/// </summary>
internal static class TestEndpoints
{
    public static void MapRelayTestEndpoints(this RouteGroupBuilder hub) =>
        hub.MapPost("/connections/{connectionId}/:drop", (HttpContext context) =>
        {
            if (context.Hub().Find(context.RouteValue("connectionId")) is not { } connection)
            {
                return RestErrors.NotFound("No such connection.");
            }

            connection.Drop();
            return TypedResults.NoContent();
        });
}
