using System.Text;

namespace BotSociety.DevHost.Queues;

/// <summary>
/// A message's bytes as stored in the queue under host.json <c>messageEncoding</c>: base64 text (the host's
/// default, QueueMessageEncoding.Base64 of the Storage SDK) or the UTF-8 text itself.
/// </summary>
internal static class QueueMessageCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(ReadOnlySpan<byte> body, QueueEncoding encoding) =>
        encoding == QueueEncoding.Base64 ? Convert.ToBase64String(body) : Encoding.UTF8.GetString(body);

    public static string Encode(string text, QueueEncoding encoding) =>
        encoding == QueueEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text;

    /// <summary>False when the stored text is not base64 although host.json says it is.</summary>
    public static bool TryDecode(string stored, QueueEncoding encoding, out byte[] body)
    {
        if (encoding == QueueEncoding.None)
        {
            body = Encoding.UTF8.GetBytes(stored);
            return true;
        }

        var buffer = new byte[stored.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(stored, buffer, out var written))
        {
            body = buffer[..written];
            return true;
        }

        body = [];
        return false;
    }

    /// <summary>The body as text, or null when it is not UTF-8 (the host then leaves out the <c>QueueTrigger</c> metadata).</summary>
    public static string? AsText(byte[] body)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
