namespace BotSociety.Functions.OpenApi;

// What the OpenAPI document needs beyond the HttpTrigger attribute (method, route, auth level): the worker's
// metadata knows nothing of query parameters, bodies or response types, because the functions read them from
// HttpRequest and answer IResult. These attributes sit on each function, beside the code they describe.

/// <summary>The feature a function belongs to (the document's tag) and a one-line summary.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ApiOperationAttribute(string tag, string summary) : Attribute
{
    public string Tag { get; } = tag;

    public string Summary { get; } = summary;

    public string? Description { get; init; }
}

/// <summary>A query parameter the function reads; optional unless <see cref="Required"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ApiQueryAttribute(string name, Type type, string description) : Attribute
{
    public string Name { get; } = name;

    public Type Type { get; } = type;

    public string Description { get; } = description;

    public bool Required { get; init; }
}

/// <summary>The function answers a page: it reads <c>limit</c> (default <paramref name="defaultLimit"/>) and <c>offset</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ApiPagedAttribute(int defaultLimit) : Attribute
{
    public int DefaultLimit { get; } = defaultLimit;
}

/// <summary>
/// The function's query parameters are parsed by <paramref name="parser"/>, whose rules (<see cref="ApiRules"/>: ranges,
/// choices) the document states for the parameters of the same names.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ApiQueryRulesAttribute(Type parser) : Attribute
{
    public Type Parser { get; } = parser;
}

/// <summary>The JSON body the function reads, as the C# type whose shape it has; the type's rules (<see cref="ApiRules"/>) go with it.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ApiBodyAttribute(Type type, string description) : Attribute
{
    public Type Type { get; } = type;

    public string Description { get; } = description;

    /// <summary>A partial update: every member may be left out, at every level.</summary>
    public bool Partial { get; init; }
}

/// <summary>
/// One answer the function gives. A success names its body's C# type; an error status without a type is
/// RFC 9457 problem details. The 400 and 404 answers every parameterised route gives are added for you.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ApiResponseAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    public Type? Body { get; init; }

    /// <summary>The answer carries an <c>ETag</c> header (the config version a later <c>If-Match</c> names).</summary>
    public bool ETag { get; init; }

    /// <summary>
    /// The media types of a success that is not JSON (an export: JSON Lines, CSV, a SQLite file); its body is described
    /// as text, or as bytes when <see cref="Binary"/>.
    /// </summary>
    public string[]? Media { get; init; }

    public bool Binary { get; init; }
}

/// <summary>A route parameter that is not a numeric id: a name from <paramref name="choices"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ApiRouteAttribute(string name, string description, params string[] choices) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<string> Choices { get; } = choices;
}

/// <summary>The function reads an <c>If-Match</c> header.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ApiIfMatchAttribute : Attribute;

/// <summary>Not part of the API the document describes: the document and its explorer themselves.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ApiHiddenAttribute : Attribute;
