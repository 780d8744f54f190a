using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace BotSociety.Core.Usage;

/// <summary>
/// The price table: <c>Pricing:Providers:{provider}:{model id or prefix}</c>. The committed defaults are
/// <c>pricing.json</c> beside the app, loaded beneath every other setting so any entry can be overridden or added.
/// </summary>
public sealed class PricingOptions : IValidatableObject
{
    public const string SectionName = "Pricing";

    public Dictionary<string, Dictionary<string, ModelPrice>> Providers { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (provider, models) in Providers)
        {
            foreach (var (model, price) in models)
            {
                var at = $"Pricing:Providers:{provider}:{model}";
                if (price.InputPerMillionUsd is < 0 || price.OutputPerMillionUsd is < 0 || price.CachedInputPerMillionUsd is < 0)
                {
                    yield return new($"{at} has a negative price.");
                }

                if (price.InputPerMillionUsd is null || price.OutputPerMillionUsd is null)
                {
                    yield return new($"{at} needs InputPerMillionUsd and OutputPerMillionUsd.");
                }

                if (!DateOnly.TryParseExact(price.EffectiveDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    yield return new($"{at}:EffectiveDate must be a date as YYYY-MM-DD; got '{price.EffectiveDate}'.");
                }

                if (string.IsNullOrWhiteSpace(price.Source))
                {
                    yield return new($"{at}:Source must say where the price was read.");
                }
            }
        }
    }
}

/// <summary>One model's published price in US dollars per million tokens, with when and where it was read.</summary>
public sealed class ModelPrice
{
    public double? InputPerMillionUsd { get; set; }

    public double? OutputPerMillionUsd { get; set; }

    /// <summary>Cache reads; when absent, cached input is billed as ordinary input.</summary>
    public double? CachedInputPerMillionUsd { get; set; }

    public string EffectiveDate { get; set; } = "";

    public string Source { get; set; } = "";
}
