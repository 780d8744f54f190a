using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BotSociety.Relay.Tests.Infrastructure;

/// <summary>Tokens shaped like the server SDK's: HS256 over the AccessKey's UTF-8 bytes, no kid, arrays for roles and groups.</summary>
public static class Tokens
{
    public static string Create(
        string audience,
        string? userId = null,
        string[]? roles = null,
        string[]? groups = null,
        string key = RelayServer.AccessKey,
        DateTimeOffset? expires = null,
        DateTimeOffset? notBefore = null,
        string algorithm = "HS256")
    {
        var now = TimeProvider.System.GetUtcNow();
        var payload = new Dictionary<string, object>
        {
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
            ["aud"] = audience,
        };
        if (userId is not null)
        {
            payload["sub"] = userId;
        }

        if (roles is not null)
        {
            payload["role"] = roles;
        }

        if (groups is not null)
        {
            payload["webpubsub.group"] = groups;
        }

        if (notBefore is { } nbf)
        {
            payload["nbf"] = nbf.ToUnixTimeSeconds();
        }

        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm, typ = "JWT" }));
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{header}.{body}"));
        return $"{header}.{body}.{Base64Url.EncodeToString(signature)}";
    }
}
