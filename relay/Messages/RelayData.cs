namespace BotSociety.Relay.Messages;

/// <summary>How a payload was given, which decides how each kind of client receives it.</summary>
internal enum DataType
{
    Json,
    Text,
    Binary,
}

/// <summary>
/// A payload in its plain form: UTF-8 JSON for <see cref="DataType.Json"/>, UTF-8 text for
/// <see cref="DataType.Text"/>, raw bytes for <see cref="DataType.Binary"/>.
/// </summary>
internal sealed record RelayData(DataType Type, ReadOnlyMemory<byte> Bytes)
{
    public string TypeName => Type switch
    {
        DataType.Json => "json",
        DataType.Text => "text",
        _ => "binary",
    };
}
