using System.Security.Claims;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using Microsoft.AspNetCore.Http;

namespace BotSociety.Functions.Api;

/// <summary>Who made an operator write, for the audit trail: the function key's name when a key was used, else <c>operator</c>.</summary>
internal static class OperatorActor
{
    /// <summary>
    /// The Functions host checks a function key and names it in the caller's identity (authentication type
    /// <c>WebJobsAuthLevel</c>) with this claim; the key itself never reaches the worker. devhost checks no keys, so
    /// under devhost every write is the operator's.
    /// </summary>
    internal const string KeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    public static string Of(HttpRequest request) =>
        Of(request.HttpContext.User);

    public static string Of(ClaimsPrincipal? user) =>
        user?.Identities.SelectMany(i => i.Claims).FirstOrDefault(c => c.Type == KeyIdClaim)?.Value is { Length: > 0 } key
            ? TextCut.Cut($"key:{key}", 128)
            : ControlEvents.Operator;
}
