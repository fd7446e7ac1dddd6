using System.Globalization;
using System.Text;

namespace TaobaoAlliance.Attribution.Clicks;

/// <summary>
/// The webmaster's own tracking values on a link or ad click, <c>sub1</c>…<c>sub5</c> (a campaign, a page, a placement):
/// short printable text kept on the click and carried to its order, commissions, reports and postbacks.
/// </summary>
public sealed record SubIds(string? Sub1, string? Sub2, string? Sub3, string? Sub4, string? Sub5)
{
    /// <summary>Longest value kept, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The query-string names, in slot order.</summary>
    public static readonly string[] Names = ["sub1", "sub2", "sub3", "sub4", "sub5"];

    public static readonly SubIds None = new(null, null, null, null, null);

    public bool IsEmpty => Sub1 is null && Sub2 is null && Sub3 is null && Sub4 is null && Sub5 is null;

    /// <summary>The value in slot 1..5.</summary>
    public string? this[int slot] => slot switch
    {
        1 => Sub1, 2 => Sub2, 3 => Sub3, 4 => Sub4, 5 => Sub5,
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };

    /// <summary>
    /// The click path's reading, which never refuses a shopper (what mature networks do): control and format characters
    /// are stripped, surrounding spaces trimmed, the rest cut to <see cref="MaxLength"/> characters (never inside a
    /// surrogate pair); nothing left means no value.
    /// </summary>
    public static SubIds Lenient(string? sub1, string? sub2, string? sub3, string? sub4, string? sub5)
    {
        if (sub1 is null && sub2 is null && sub3 is null && sub4 is null && sub5 is null) return None;
        return new(Clean(sub1), Clean(sub2), Clean(sub3), Clean(sub4), Clean(sub5));
    }

    /// <summary>
    /// The link builder's reading (API and pages), which says what is wrong instead: null when every value is empty or
    /// printable text of at most <see cref="MaxLength"/> characters; else the name of the first bad one.
    /// </summary>
    public static string? Invalid(string? sub1, string? sub2, string? sub3, string? sub4, string? sub5, out SubIds subIds)
    {
        string?[] values = [sub1, sub2, sub3, sub4, sub5];
        subIds = None;
        for (var i = 0; i < values.Length; i++)
        {
            if (!IsAcceptable(values[i])) return Names[i];
        }
        subIds = Lenient(sub1, sub2, sub3, sub4, sub5);
        return null;
    }

    /// <summary>Empty, or at most <see cref="MaxLength"/> characters with no control or format character and no lone surrogate.</summary>
    public static bool IsAcceptable(string? value)
    {
        if (string.IsNullOrEmpty(value)) return true;
        if (value.Length > MaxLength) return false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                i++;
                continue;
            }
            if (char.IsLowSurrogate(c) || IsStripped(c)) return false;
        }
        return true;
    }

    /// <summary>The cleaned value (see <see cref="Lenient"/>); allocates only when something must change.</summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var clean = true;
        foreach (var c in value)
        {
            if (IsStripped(c) || char.IsSurrogate(c)) { clean = false; break; }
        }
        if (!clean)
        {
            var b = new StringBuilder(Math.Min(value.Length, MaxLength * 2));
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    b.Append(c).Append(value[++i]);
                }
                else if (!IsStripped(c) && !char.IsSurrogate(c))
                {
                    b.Append(c);
                }
            }
            value = b.ToString();
        }
        value = value.Trim();
        if (value.Length == 0) return null;
        if (value.Length <= MaxLength) return value;
        return value[..(char.IsHighSurrogate(value[MaxLength - 1]) ? MaxLength - 1 : MaxLength)].TrimEnd();
    }

    /// <summary>The values as a query string (<c>sub1=a&amp;sub3=b</c>, escaped), empty when there are none.</summary>
    public string ToQuery()
    {
        if (IsEmpty) return "";
        var b = new StringBuilder();
        for (var slot = 1; slot <= 5; slot++)
        {
            if (this[slot] is not { } v) continue;
            if (b.Length > 0) b.Append('&');
            b.Append(Names[slot - 1]).Append('=').Append(Uri.EscapeDataString(v));
        }
        return b.ToString();
    }

    /// <summary><paramref name="url"/> with <see cref="ToQuery"/> appended (after <c>?</c> or <c>&amp;</c>).</summary>
    public string AppendTo(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (IsEmpty) return url;
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + ToQuery();
    }

    private static bool IsStripped(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
