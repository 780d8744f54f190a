namespace BotSociety.Relay.Connections;

/// <summary>
/// The OData subset Web PubSub filters use (aka.ms/awps/filter-syntax): <c>userId</c> and <c>connectionId</c>
/// compared with eq/ne/gt/ge/lt/le to a quoted string or null, <c>'g' in groups</c>, and not/and/or with
/// parentheses. The predicate reads a connection's groups, so it runs under the hub's lock.
/// </summary>
internal sealed class ConnectionFilter
{
    private readonly List<string> tokens;
    private int position;

    private ConnectionFilter(List<string> tokens) => this.tokens = tokens;

    public static bool TryParse(string? text, out Func<ClientConnection, bool>? predicate, out string error)
    {
        predicate = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        try
        {
            var parser = new ConnectionFilter(Tokenize(text));
            predicate = parser.ParseOr();
            if (parser.position != parser.tokens.Count)
            {
                throw new FormatException($"unexpected '{parser.tokens[parser.position]}'");
            }

            return true;
        }
        catch (FormatException e)
        {
            error = $"The filter is not valid: {e.Message}.";
            return false;
        }
    }

    private Func<ClientConnection, bool> ParseOr()
    {
        var left = ParseAnd();
        while (TryTake("or"))
        {
            var (a, b) = (left, ParseAnd());
            left = c => a(c) || b(c);
        }

        return left;
    }

    private Func<ClientConnection, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (TryTake("and"))
        {
            var (a, b) = (left, ParseUnary());
            left = c => a(c) && b(c);
        }

        return left;
    }

    private Func<ClientConnection, bool> ParseUnary()
    {
        if (TryTake("not"))
        {
            var inner = ParseUnary();
            return c => !inner(c);
        }

        if (TryTake("("))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        var left = ParseOperand();
        var op = Next().ToLowerInvariant();
        if (op == "in")
        {
            Expect("groups");
            if (left.Literal is not { } group)
            {
                throw new FormatException("'in groups' needs a quoted group name on its left");
            }

            return c => c.Groups.Contains(group);
        }

        var right = ParseOperand();
        Func<int, bool> test = op switch
        {
            "eq" => r => r == 0,
            "ne" => r => r != 0,
            "gt" => r => r > 0,
            "ge" => r => r >= 0,
            "lt" => r => r < 0,
            "le" => r => r <= 0,
            _ => throw new FormatException($"unknown operator '{op}'"),
        };
        return c => test(string.CompareOrdinal(left.Read(c), right.Read(c)));
    }

    private Operand ParseOperand()
    {
        var token = Next();
        if (token.StartsWith('\''))
        {
            return new Operand(token[1..], null);
        }

        return token.ToLowerInvariant() switch
        {
            "userid" => new Operand(null, c => c.UserId),
            "connectionid" => new Operand(null, c => c.Id),
            "null" => new Operand(null, _ => null),
            _ => throw new FormatException($"unknown name '{token}'"),
        };
    }

    private string Next() =>
        position < tokens.Count ? tokens[position++] : throw new FormatException("it ends too early");

    private bool TryTake(string token)
    {
        if (position < tokens.Count && string.Equals(tokens[position], token, StringComparison.OrdinalIgnoreCase))
        {
            position++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!TryTake(token))
        {
            throw new FormatException($"'{token}' expected");
        }
    }

    /// <summary>Words, parentheses, and string literals kept with their opening quote ('' is an escaped quote).</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var ch = text[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
            }
            else if (ch is '(' or ')')
            {
                tokens.Add(ch.ToString());
                i++;
            }
            else if (ch == '\'')
            {
                var literal = new System.Text.StringBuilder("'");
                for (i++; ; i++)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("a string is not closed");
                    }

                    if (text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                    {
                        literal.Append('\'');
                        i++;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        literal.Append(text[i]);
                    }
                }

                tokens.Add(literal.ToString());
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')' and not '\'')
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    /// <summary>A literal (kept for 'in groups') or a value read from the connection.</summary>
    private sealed record Operand(string? Literal, Func<ClientConnection, string?>? Reader)
    {
        public string? Read(ClientConnection connection) => Reader is null ? Literal : Reader(connection);
    }
}
