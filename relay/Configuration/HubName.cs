using System.Text.RegularExpressions;

namespace BotSociety.Relay.Configuration;

/// <summary>Hub names as the server SDK checks them; the relay treats them case-insensitively, as the emulator does.</summary>
internal static partial class HubName
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    public static string Normalize(string name) => name.ToLowerInvariant();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_`,.\[\]]{0,127}$")]
    private static partial Regex Pattern();
}
