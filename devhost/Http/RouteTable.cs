using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Http;

/// <summary>
/// The HTTP functions' routes, matched as the worker's own endpoint table matches them, so devhost knows the
/// function and its route values before it forwards the request.
/// </summary>
internal sealed class RouteTable(IReadOnlyList<FunctionRoute> routes)
{
    public const string TriggerType = "httpTrigger";

    public static RouteTable Empty { get; } = new([]);

    /// <summary>Most specific first.</summary>
    public IReadOnlyList<FunctionRoute> Routes => routes;

    /// <exception cref="DevHostStartupException">A route is not a valid route template.</exception>
    public static RouteTable Build(IEnumerable<WorkerFunction> functions, string routePrefix, IInlineConstraintResolver? constraints)
    {
        var built = new List<FunctionRoute>();
        foreach (var function in functions.Where(f => f.IsTriggeredBy(TriggerType)))
        {
            var trigger = function.Trigger!;
            var route = (trigger.GetString("route") ?? function.Name).TrimStart('/');
            var prefix = routePrefix.Trim('/');
            var template = prefix.Length == 0 ? route : $"{prefix}/{route}";
            var methods = trigger.GetStrings("methods").Select(m => m.ToUpperInvariant()).ToArray();
            try
            {
                built.Add(new FunctionRoute(function.Name, trigger.Name, template, methods, constraints));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new DevHostStartupException($"function '{function.Name}': route '{template}' is not a valid route template: {e.Message}");
            }
        }

        // OrderBy is stable: routes of equal precedence keep the worker's order, as endpoints do.
        return new RouteTable([.. built.OrderBy(r => r.Precedence)]);
    }

    public RouteMatch Match(string method, PathString path)
    {
        List<string>? allowed = null;
        foreach (var route in routes)
        {
            if (!route.TryMatch(path, out var values))
            {
                continue;
            }

            if (route.Allows(method))
            {
                return new RouteMatch.Found(route, values);
            }

            (allowed ??= []).AddRange(route.Methods);
        }

        return allowed is null ? RouteMatch.NoRoute.Instance : new RouteMatch.MethodNotAllowed([.. allowed.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }
}

/// <summary>What the route table says about one request.</summary>
internal abstract record RouteMatch
{
    public sealed record Found(FunctionRoute Route, IReadOnlyDictionary<string, string> Values) : RouteMatch;

    /// <summary>A route matched the path but none of them allows the method.</summary>
    public sealed record MethodNotAllowed(IReadOnlyList<string> Allowed) : RouteMatch;

    public sealed record NoRoute : RouteMatch
    {
        public static NoRoute Instance { get; } = new();
    }
}
