using System.Security.Claims;
using BotSociety.Functions.Api;

namespace BotSociety.Functions.Tests;

/// <summary>
/// Who the audit trail names: the Functions host puts the name of the key it accepted into the caller's identity; with
/// no key (devhost, the dashboard on a trusted network) the actor is the operator.
/// </summary>
public sealed class OperatorActorTests
{
    [Fact]
    public void AKeyTheHostAcceptedIsNamedAndNoKeyIsTheOperator()
    {
        var keyed = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("http://schemas.microsoft.com/2017/07/functions/claims/authlevel", "Function"), new Claim(OperatorActor.KeyIdClaim, "ci-pipeline")],
            "WebJobsAuthLevel"));

        Assert.Equal("key:ci-pipeline", OperatorActor.Of(keyed));
        Assert.Equal("operator", OperatorActor.Of(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Equal("operator", OperatorActor.Of((ClaimsPrincipal?)null));
    }
}
