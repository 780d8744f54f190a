using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotSociety.Relay.Configuration;
using Microsoft.Extensions.Options;

namespace BotSociety.Relay.Auth;

/// <summary>
/// Checks the HS256 tokens the server SDK signs with the AccessKey: signature, exp, nbf and audience.
/// Hand-written rather than a JWT library's: the audience rule is this protocol's own (lenient, see
/// <see cref="AudienceMatches"/>), the clock must be the injected TimeProvider, and role/group claims may be a string
/// or an array; a library would have to be bent on each of those points.
/// </summary>
internal sealed class TokenValidator(IOptions<RelayOptions> options, TimeProvider time)
{
    private readonly byte[] key = Encoding.UTF8.GetBytes(options.Value.ParsedConnectionString.AccessKey);
    private readonly Uri endpoint = options.Value.ParsedConnectionString.Endpoint;
    private readonly TimeSpan skew = TimeSpan.FromSeconds(options.Value.ClockSkewSeconds);

    /// <summary>
    /// Validates a token meant for <paramref name="request"/>'s path, or for <paramref name="audiencePath"/> when
    /// one URL has two spellings; the query never matters.
    /// </summary>
    public bool TryValidate(string? token, HttpRequest request, out TokenClaims? claims, out string error, string? audiencePath = null)
    {
        claims = null;
        if (string.IsNullOrEmpty(token))
        {
            error = "no access token";
            return false;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var header) || !TryDecode(parts[1], out var payload) || !TryDecode(parts[2], out var signature))
        {
            error = "the token is not a JWT";
            return false;
        }

        if (!TryReadJson(header, out var headerJson) || headerJson.ValueKind != JsonValueKind.Object
            || !headerJson.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
        {
            error = "the token is not signed with HS256";
            return false;
        }

        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(string.Concat(parts[0], ".", parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            error = "the token's signature does not match the AccessKey";
            return false;
        }

        if (!TryReadJson(payload, out var body) || body.ValueKind != JsonValueKind.Object)
        {
            error = "the token's payload is not a JSON object";
            return false;
        }

        var now = time.GetUtcNow();
        if (!TryReadTime(body, "exp", out var expires) || expires is null)
        {
            error = "the token has no exp";
            return false;
        }

        if (now - skew >= expires)
        {
            error = "the token has expired";
            return false;
        }

        if (!TryReadTime(body, "nbf", out var notBefore) || (notBefore is not null && now + skew < notBefore))
        {
            error = "the token is not valid yet";
            return false;
        }

        var audiences = ReadStrings(body, "aud");
        if (!audiences.Any(aud => AudienceMatches(aud, request, audiencePath)))
        {
            error = "the token's audience is not this URL";
            return false;
        }

        var subject = body.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
        claims = new TokenClaims(
            string.IsNullOrEmpty(subject) ? null : subject,
            ReadStrings(body, "role"),
            ReadStrings(body, "webpubsub.group"));
        error = "";
        return true;
    }

    /// <summary>
    /// The SDK signs the full request URL (query included) and its own endpoint's host, which may be a proxy's. The
    /// rule book asks for a lenient match: same path, case-insensitive, query ignored, and a host that is either
    /// the configured endpoint's or the one the request came to.
    /// </summary>
    private bool AudienceMatches(string audience, HttpRequest request, string? audiencePath)
    {
        if (!Uri.TryCreate(audience, UriKind.Absolute, out var aud))
        {
            return false;
        }

        var sameHost = SameAuthority(aud, endpoint.Host, endpoint.Port)
            || SameAuthority(aud, request.Host.Host, request.Host.Port ?? (request.IsHttps ? 443 : 80));
        if (!sameHost)
        {
            return false;
        }

        // The endpoint may carry a path prefix that a reverse proxy strips before the request reaches the relay.
        var audPath = Uri.UnescapeDataString(aud.AbsolutePath);
        var prefix = endpoint.AbsolutePath.TrimEnd('/');
        if (prefix.Length > 0 && audPath.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            audPath = audPath[prefix.Length..];
        }

        var requestPath = audiencePath ?? Uri.UnescapeDataString((request.PathBase + request.Path).ToString());
        return string.Equals(audPath.TrimEnd('/'), requestPath.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameAuthority(Uri aud, string host, int port) =>
        string.Equals(aud.Host, host, StringComparison.OrdinalIgnoreCase) && aud.Port == port;

    private static bool TryDecode(string part, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static bool TryReadJson(byte[] utf8, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    /// <summary>False when the claim is there but not a number; true with null when it is absent.</summary>
    private static bool TryReadTime(JsonElement body, string name, out DateTimeOffset? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var claim))
        {
            return true;
        }

        if (claim.ValueKind != JsonValueKind.Number || !claim.TryGetDouble(out var seconds))
        {
            return false;
        }

        value = DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        return true;
    }

    /// <summary>Other SDKs write a single role or group as a plain string; the JS SDK writes arrays.</summary>
    private static IReadOnlyList<string> ReadStrings(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var claim))
        {
            return [];
        }

        return claim.ValueKind switch
        {
            JsonValueKind.String => [claim.GetString()!],
            JsonValueKind.Array => [.. claim.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)],
            _ => [],
        };
    }
}

/// <summary>What a valid token says about its bearer.</summary>
internal sealed record TokenClaims(string? UserId, IReadOnlyList<string> Roles, IReadOnlyList<string> Groups);
