namespace TaobaoAlliance.Web.Areas.Seller.Pages.Shops;

/// <summary>The TempData key of the one-line confirmations the catalog pages show after a redirect.</summary>
public static class CatalogMessages
{
    public const string Key = "SellerCatalogMessage";
}
