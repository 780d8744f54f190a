using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;

namespace BotSociety.Functions.OpenApi;

/// <summary>
/// Turns C# types into the document's schemas by reading System.Text.Json's contract for them (the same
/// <see cref="JsonTypeInfo"/> the API serialises with), so names, nullability and enums cannot drift from the
/// JSON the API writes. Objects become named components, which also lets recursive types (a reply tree) refer to
/// themselves.
/// </summary>
internal sealed class SchemaGenerator(OpenApiDocument document, JsonSerializerOptions options)
{
    private readonly Dictionary<string, (Type Type, SchemaUse Use)> named = new(StringComparer.Ordinal);

    /// <summary>How a type is used: as an answer (every member written), a request body, or a partial update.</summary>
    public enum SchemaUse
    {
        Response,
        Request,
        Patch,
    }

    public IOpenApiSchema For(Type type, SchemaUse use)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return OrNull(For(underlying, use));
        }

        if (Scalar(type) is { } scalar)
        {
            return scalar;
        }

        // The contract needs the options' resolver, which they get on their first use; the document may come first.
        if (!options.IsReadOnly)
        {
            options.MakeReadOnly(populateMissingResolver: true);
        }

        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new OpenApiSchema { Type = JsonSchemaType.Array, Items = For(info.ElementType!, use) },
            JsonTypeInfoKind.Dictionary => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = For(info.ElementType!, use) },
            JsonTypeInfoKind.Object => Component(type, info, use),

            // A type with a converter of its own (JsonElement, JsonNode, object) can be any JSON.
            _ => new OpenApiSchema(),
        };
    }

    /// <summary>The schema, or JSON null.</summary>
    public static IOpenApiSchema OrNull(IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema { Type: { } type, Enum: null } plain)
        {
            plain.Type = type | JsonSchemaType.Null;
            return plain;
        }

        return new OpenApiSchema { AnyOf = [schema, new OpenApiSchema { Type = JsonSchemaType.Null }] };
    }

    private OpenApiSchema? Scalar(Type type)
    {
        if (type.IsEnum)
        {
            // Each value as the serializer itself writes it, whatever converter the options hold.
            return new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.SerializeToNode(v, type, options)!)],
            };
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.String or TypeCode.Char => new OpenApiSchema { Type = JsonSchemaType.String },
            TypeCode.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 =>
                new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
            TypeCode.DateTime => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            _ when type == typeof(DateTimeOffset) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            _ when type == typeof(DateOnly) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
            _ when type == typeof(TimeSpan) || type == typeof(TimeOnly) => new OpenApiSchema { Type = JsonSchemaType.String },
            _ when type == typeof(Guid) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            _ when type == typeof(Uri) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            _ => null,
        };
    }

    private OpenApiSchemaReference Component(Type type, JsonTypeInfo info, SchemaUse use)
    {
        var name = Name(type, use);
        if (named.TryGetValue(name, out var existing))
        {
            if (existing != (type, use))
            {
                throw new InvalidOperationException($"Two types want the schema name '{name}': {existing.Type.FullName} and {type.FullName}.");
            }

            return new OpenApiSchemaReference(name, document);
        }

        // Registered before its members are read, so a member of the same type (a reply's replies) finds it.
        named[name] = (type, use);
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
            Required = new HashSet<string>(StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
        document.AddComponent<IOpenApiSchema>(name, schema);
        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData)
            {
                // Problem details carry extension members (errors, current_version) beside the standard ones.
                schema.AdditionalPropertiesAllowed = true;
                continue;
            }

            // A member the contract leaves out when null (problem details' extensions) is never null when present.
            var skippedWhenNull = use == SchemaUse.Response && property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                .OfType<JsonIgnoreAttribute>().Any(a => a.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) == true;
            var memberType = skippedWhenNull ? Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType : property.PropertyType;
            var member = For(memberType, use);
            var nullable = !skippedWhenNull && (use == SchemaUse.Response ? property.IsGetNullable : property.IsSetNullable);
            if (member is OpenApiSchema inline && property.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).OfType<DescriptionAttribute>().FirstOrDefault() is { } about)
            {
                inline.Description = about.Description;
            }

            schema.Properties[property.Name] = nullable && !memberType.IsValueType ? OrNull(member) : member;
            var required = use switch
            {
                // An answer writes every member, except one the contract skips (problem details leave out nulls).
                SchemaUse.Response => property.ShouldSerialize is null,
                SchemaUse.Request => property.IsRequired,
                _ => false,
            };
            if (required)
            {
                schema.Required.Add(property.Name);
            }
        }

        return new OpenApiSchemaReference(name, document);
    }

    /// <summary><c>Page&lt;BotSummary&gt;</c> is "BotSummaryPage"; a partial update of <c>X</c> is "XPatch".</summary>
    private static string Name(Type type, SchemaUse use)
    {
        var name = type.IsGenericType
            ? string.Concat(type.GetGenericArguments().Select(a => Name(a, SchemaUse.Response))) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]
            : type.Name;
        return use == SchemaUse.Patch ? name + "Patch" : name;
    }
}
