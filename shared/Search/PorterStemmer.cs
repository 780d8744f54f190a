namespace BotSociety.Core.Search;

/// <summary>
/// The Porter stemmer (M. F. Porter, 1980) as SQLite's FTS5 <c>porter</c> tokenizer applies it: tokens shorter than 3 or
/// longer than 64 characters pass through, and only ASCII lower-case words are stemmed. Written from the published
/// algorithm; the corpus test checks it against FTS5's own index of the corpus, token by token.
/// </summary>
internal static class PorterStemmer
{
    public static string Stem(string word)
    {
        if (word.Length is < 3 or > 64 || !word.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
        {
            return word;
        }

        var w = new System.Text.StringBuilder(word);
        Step1A(w);
        if (Step1B(w))
        {
            if (!Step1B2(w))
            {
                var c = w[^1];
                if (!IsVowel(w, w.Length - 1) && c != 'l' && c != 's' && c != 'z' && w.Length > 1 && c == w[^2])
                {
                    w.Length--;
                }
                else if (Measure(w, w.Length) == 1 && EndsCvc(w, w.Length))
                {
                    w.Append('e');
                }
            }
        }

        if (w[^1] == 'y' && HasVowel(w, w.Length - 1))
        {
            w[^1] = 'i';
        }

        Replace(w, Step2, 0);
        Replace(w, Step3, 0);
        Step4(w);
        Step5(w);
        return w.ToString();
    }

    private static readonly (string Suffix, string With)[] Step2 =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
        ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
        ("logi", "log"),
    ];

    private static readonly (string Suffix, string With)[] Step3 =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
        ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"];

    private static void Step1A(System.Text.StringBuilder w)
    {
        if (EndsWith(w, "sses") || EndsWith(w, "ies"))
        {
            w.Length -= 2;
        }
        else if (EndsWith(w, "ss"))
        {
        }
        else if (w[^1] == 's')
        {
            w.Length--;
        }
    }

    /// <summary>Step 1b's first part; true when "ed" or "ing" was removed (then the clean-up of 1b follows).</summary>
    private static bool Step1B(System.Text.StringBuilder w)
    {
        if (EndsWith(w, "eed"))
        {
            if (Measure(w, w.Length - 3) > 0)
            {
                w.Length--;
            }

            return false;
        }

        foreach (var suffix in (string[])["ed", "ing"])
        {
            if (EndsWith(w, suffix) && HasVowel(w, w.Length - suffix.Length))
            {
                w.Length -= suffix.Length;
                return true;
            }
        }

        return false;
    }

    /// <summary>at → ate, bl → ble, iz → ize; true when one applied.</summary>
    private static bool Step1B2(System.Text.StringBuilder w)
    {
        foreach (var suffix in (string[])["at", "bl", "iz"])
        {
            if (EndsWith(w, suffix))
            {
                w.Append('e');
                return true;
            }
        }

        return false;
    }

    private static void Replace(System.Text.StringBuilder w, (string Suffix, string With)[] rules, int measure)
    {
        foreach (var (suffix, with) in rules)
        {
            if (EndsWith(w, suffix))
            {
                if (Measure(w, w.Length - suffix.Length) > measure)
                {
                    w.Length -= suffix.Length;
                    w.Append(with);
                }

                return;
            }
        }
    }

    private static void Step4(System.Text.StringBuilder w)
    {
        foreach (var suffix in Step4Suffixes.OrderByDescending(s => s.Length))
        {
            if (!EndsWith(w, suffix))
            {
                continue;
            }

            var stem = w.Length - suffix.Length;
            var ok = Measure(w, stem) > 1 && (suffix != "ion" || (stem > 0 && w[stem - 1] is 's' or 't'));
            if (ok)
            {
                w.Length = stem;
            }

            return;
        }
    }

    private static void Step5(System.Text.StringBuilder w)
    {
        if (w[^1] == 'e')
        {
            var m = Measure(w, w.Length - 1);
            if (m > 1 || (m == 1 && !EndsCvc(w, w.Length - 1)))
            {
                w.Length--;
            }
        }

        if (w.Length > 1 && w[^1] == 'l' && w[^2] == 'l' && Measure(w, w.Length - 1) > 1)
        {
            w.Length--;
        }
    }

    private static bool EndsWith(System.Text.StringBuilder w, string suffix)
    {
        if (w.Length < suffix.Length)
        {
            return false;
        }

        for (var i = 0; i < suffix.Length; i++)
        {
            if (w[w.Length - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A vowel is a, e, i, o, u, and y after a consonant.</summary>
    private static bool IsVowel(System.Text.StringBuilder w, int i) =>
        w[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => true,
            'y' => i > 0 && !IsVowel(w, i - 1),
            _ => false,
        };

    private static bool HasVowel(System.Text.StringBuilder w, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (IsVowel(w, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>m in [C](VC)^m[V] of the first <paramref name="length"/> letters.</summary>
    private static int Measure(System.Text.StringBuilder w, int length)
    {
        var m = 0;
        var i = 0;
        while (i < length && !IsVowel(w, i))
        {
            i++;
        }

        while (i < length)
        {
            while (i < length && IsVowel(w, i))
            {
                i++;
            }

            if (i >= length)
            {
                break;
            }

            while (i < length && !IsVowel(w, i))
            {
                i++;
            }

            m++;
        }

        return m;
    }

    /// <summary>*o: the first <paramref name="length"/> letters end consonant-vowel-consonant, the last not w, x or y.</summary>
    private static bool EndsCvc(System.Text.StringBuilder w, int length) =>
        length >= 3 && !IsVowel(w, length - 1) && IsVowel(w, length - 2) && !IsVowel(w, length - 3)
        && w[length - 1] is not ('w' or 'x' or 'y');
}
