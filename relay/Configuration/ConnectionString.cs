namespace BotSociety.Relay.Configuration;

/// <summary>A Web PubSub connection string (<c>Endpoint=…;AccessKey=…;Version=1.0;</c>), read as the server SDK reads it.</summary>
public sealed record ConnectionString(Uri Endpoint, string AccessKey)
{
    /// <summary>
    /// Keys are case-insensitive and split at the first '=', so a base64 key keeps its trailing '='. An endpoint
    /// without a scheme gets https, and Port overrides the endpoint's port, as the SDK does.
    /// </summary>
    public static bool TryParse(string? text, out ConnectionString? result, out string error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[part[..equals].Trim()] = part[(equals + 1)..];
            }
        }

        if (!values.TryGetValue("Endpoint", out var endpoint) || endpoint.Length == 0)
        {
            error = "has no Endpoint";
            return false;
        }

        if (!values.TryGetValue("AccessKey", out var accessKey) || accessKey.Length == 0)
        {
            error = "has no AccessKey";
            return false;
        }

        if (!endpoint.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = "https://" + endpoint;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            error = $"has an Endpoint that is not a URL: {endpoint}";
            return false;
        }

        var builder = new UriBuilder(uri);
        if (values.TryGetValue("Port", out var portText))
        {
            if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
            {
                error = $"has a Port that is not a port number: {portText}";
                return false;
            }

            builder.Port = port;
        }

        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        result = new ConnectionString(builder.Uri, accessKey);
        error = "";
        return true;
    }
}
