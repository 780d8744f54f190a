using System.Globalization;
using Microsoft.AspNetCore.Routing.Template;

namespace BotSociety.DevHost.Http;

/// <summary>One HTTP-triggered function's route: <c>{routePrefix}/{route ?? function name}</c> and its methods.</summary>
internal sealed class FunctionRoute
{
    private readonly TemplateMatcher matcher;
    private readonly IReadOnlyList<(string Name, bool Optional, IRouteConstraint Constraint)> constraints;

    public FunctionRoute(string functionName, string triggerBindingName, string template, IReadOnlyList<string> methods, IInlineConstraintResolver? constraintResolver)
    {
        FunctionName = functionName;
        TriggerBindingName = triggerBindingName;
        Template = template;
        Methods = methods;

        var parsed = TemplateParser.Parse(template);
        var defaults = new RouteValueDictionary();
        var resolved = new List<(string, bool, IRouteConstraint)>();
        foreach (var parameter in parsed.Parameters)
        {
            if (parameter.DefaultValue is not null)
            {
                defaults[parameter.Name!] = parameter.DefaultValue;
            }

            // Without a resolver (or for a constraint ASP.NET Core does not know) the constraint text is ignored.
            foreach (var inline in parameter.InlineConstraints)
            {
                if (constraintResolver?.ResolveConstraint(inline.Constraint) is { } constraint)
                {
                    resolved.Add((parameter.Name!, parameter.IsOptional, constraint));
                }
            }
        }

        matcher = new TemplateMatcher(parsed, defaults);
        constraints = resolved;
        Precedence = RoutePrecedence.ComputeInbound(parsed);
    }

    public string FunctionName { get; }

    /// <summary>The name of the httpTrigger binding, which the InvocationRequest's trigger input must carry.</summary>
    public string TriggerBindingName { get; }

    /// <summary>The full template, prefix included, e.g. <c>api/bots/{id:int}</c>.</summary>
    public string Template { get; }

    /// <summary>Upper-case methods; empty means any method, as in the Functions host.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>ASP.NET Core's inbound precedence: lower is more specific and is tried first.</summary>
    public decimal Precedence { get; }

    public bool Allows(string method) => Methods.Count == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    public bool TryMatch(PathString path, out IReadOnlyDictionary<string, string> values)
    {
        values = new Dictionary<string, string>();
        var routeValues = new RouteValueDictionary();
        if (!matcher.TryMatch(path, routeValues))
        {
            return false;
        }

        foreach (var (name, optional, constraint) in constraints)
        {
            var present = routeValues.TryGetValue(name, out var value) && value is not null;
            if ((present || !optional) && !constraint.Match(null, null, name, routeValues, RouteDirection.IncomingRequest))
            {
                return false;
            }
        }

        values = routeValues
            .Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture)!, StringComparer.OrdinalIgnoreCase);
        return true;
    }
}
