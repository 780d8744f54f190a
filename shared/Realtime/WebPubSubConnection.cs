using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BotSociety.Core.Realtime;

/// <summary>
/// A Web PubSub connection string and the tokens it signs, as the official SDKs make them: HS256 with the
/// AccessKey's UTF-8 bytes (not base64-decoded), no <c>kid</c>; a REST call's audience is its full URL, a client's
/// is <c>{endpoint}/client/hubs/{hub}</c> with the http(s) scheme.
/// </summary>
public sealed class WebPubSubConnection
{
    // IdentityModel refuses HS256 keys under 256 bits; Azure's keys are 44 characters.
    private const int MinKeyLength = 32;

    private static readonly JsonWebTokenHandler Tokens = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials signing;

    private WebPubSubConnection(Uri endpoint, string accessKey)
    {
        Endpoint = endpoint;
        signing = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(accessKey)), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>The service's address, ending in a slash.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Parses <c>Endpoint=…;AccessKey=…;Version=1.0;</c> (keys case-insensitive, <c>Port</c> optional, unknown keys
    /// ignored; an endpoint without a scheme is https).
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out WebPubSubConnection? connection, [NotNullWhen(false)] out string? error)
    {
        connection = null;
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parts[part[..equals].Trim()] = part[(equals + 1)..];
            }
        }

        if (!parts.TryGetValue("Endpoint", out var endpointText) || endpointText.Length == 0)
        {
            error = "has no Endpoint=…; it must look like Endpoint=http://localhost:7071;AccessKey=…;Version=1.0;";
            return false;
        }

        if (!parts.TryGetValue("AccessKey", out var key) || key.Length < MinKeyLength)
        {
            error = $"needs an AccessKey of at least {MinKeyLength} characters.";
            return false;
        }

        if (!endpointText.StartsWith("http", StringComparison.OrdinalIgnoreCase) && !endpointText.Contains("://", StringComparison.Ordinal))
        {
            endpointText = "https://" + endpointText;
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            error = $"has an Endpoint that is not an http(s) address: '{endpointText}'.";
            return false;
        }

        var builder = new UriBuilder(endpoint);
        if (parts.TryGetValue("Port", out var portText))
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                error = $"has a Port that is not a port number: '{portText}'.";
                return false;
            }

            builder.Port = port;
        }

        builder.Path = builder.Path.EndsWith('/') ? builder.Path : builder.Path + "/";
        connection = new WebPubSubConnection(builder.Uri, key);
        error = null;
        return true;
    }

    /// <summary>The token for one REST call: its audience is the call's full URL, as the server SDK signs it.</summary>
    public string RestToken(Uri requestUri, DateTimeOffset now) => Sign(requestUri.AbsoluteUri, now, TimeSpan.FromHours(1), null);

    /// <summary>A client's access token for <paramref name="hub"/>, with Web PubSub roles as a JSON array.</summary>
    public string ClientToken(string hub, DateTimeOffset now, TimeSpan lifetime, IReadOnlyList<string> roles) =>
        Sign(new Uri(Endpoint, $"client/hubs/{hub}").AbsoluteUri, now, lifetime, roles.Count == 0 ? null : new Dictionary<string, object> { ["role"] = roles.ToArray() });

    /// <summary>The REST address of sending to every connection of <paramref name="hub"/>.</summary>
    public Uri SendToAllUri(string hub) => new(Endpoint, $"api/hubs/{Uri.EscapeDataString(hub)}/:send?api-version=2024-12-01");

    /// <summary>The WebSocket address a client connects to: the public endpoint (or the service's), ws(s), with the token.</summary>
    public Uri ClientUri(string hub, string token, Uri? publicEndpoint)
    {
        var root = publicEndpoint ?? Endpoint;
        root = root.AbsolutePath.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        var builder = new UriBuilder(new Uri(root, $"client/hubs/{hub}"))
        {
            Query = "access_token=" + Uri.EscapeDataString(token),
        };
        builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
        return builder.Uri;
    }

    private string Sign(string audience, DateTimeOffset now, TimeSpan lifetime, Dictionary<string, object>? claims) =>
        Tokens.CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = signing,
            Claims = claims,
        });
}
