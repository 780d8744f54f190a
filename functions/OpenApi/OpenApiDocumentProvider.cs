using System.Text.Json;
using System.Text.Json.Nodes;

namespace BotSociety.Functions.OpenApi;

/// <summary>
/// The document, built once from the functions' metadata on first request and kept: the functions cannot change
/// while the app runs. The route prefix comes from host.json, as the Functions host takes it.
/// </summary>
internal sealed class OpenApiDocumentProvider
{
    private readonly Lazy<Task<string>> json;

    public OpenApiDocumentProvider()
    {
        RoutePrefix = ReadRoutePrefix(Path.Combine(AppContext.BaseDirectory, "host.json"));
        json = new(() => OpenApiDocumentBuilder.SerializeAsync(OpenApiDocumentBuilder.Build(typeof(OpenApiDocumentProvider).Assembly, RoutePrefix, ApiRules.Default)));
    }

    /// <summary>host.json's <c>extensions.http.routePrefix</c>; "api" when it is not set, as the host defaults.</summary>
    public string RoutePrefix { get; }

    public Task<string> JsonAsync() => json.Value;

    private static string ReadRoutePrefix(string hostJson)
    {
        if (!File.Exists(hostJson))
        {
            return "api";
        }

        var root = JsonNode.Parse(File.ReadAllText(hostJson), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
    }
}
