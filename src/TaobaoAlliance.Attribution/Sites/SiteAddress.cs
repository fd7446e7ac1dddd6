namespace TaobaoAlliance.Attribution.Sites;

/// <summary>What is wrong with a site's home page address.</summary>
public enum SiteAddressProblem { NotHttp, HasUserInfo, TooLong }

/// <summary>
/// A site's home page address as it is stored: absolute http(s), with a host, and without a user name
/// or password (which would end up in our logs and pages).
/// </summary>
public static class SiteAddress
{
    public const int MaxLength = 500;

    /// <summary>The address trimmed, or what is wrong with it.</summary>
    public static (string? Url, SiteAddressProblem? Problem) Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return (null, SiteAddressProblem.NotHttp);
        }
        if (uri.UserInfo.Length > 0) return (null, SiteAddressProblem.HasUserInfo);
        return trimmed.Length <= MaxLength ? (trimmed, null) : (null, SiteAddressProblem.TooLong);
    }
}
