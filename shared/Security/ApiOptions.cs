using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Security;

/// <summary>Settings of the HTTP API that are the app's, not the host's.</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>
    /// Origins (<c>https://host[:port]</c>) other than the app's own whose pages may send writes from a browser: the
    /// dashboard's public address when it is served from another origin than the API. Everything else a browser sends
    /// from another site is refused (<see cref="CrossSiteWrites"/>).
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            if (CrossSiteWrites.NormalizeOrigin(AllowedOrigins[i]) is null)
            {
                yield return new ValidationResult(
                    $"Api:AllowedOrigins:{i} must be an origin such as https://society.example.org (scheme, host and port only); got '{AllowedOrigins[i]}'.",
                    [nameof(AllowedOrigins)]);
            }
        }
    }
}
