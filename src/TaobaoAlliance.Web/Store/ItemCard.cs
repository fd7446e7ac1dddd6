using System.Globalization;
using System.Linq.Expressions;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Store;

/// <summary>What the storefront shows of an item in a list, in the visitor's language.</summary>
public sealed record ItemCard(long Id, string Title, string OtherTitle, Money Price, string ShopName, string ImageUrl, int MonthlySales)
{
    public static Expression<Func<Item, ItemCard>> Projection(CultureInfo culture) => culture.IsChinese()
        ? i => new ItemCard(i.Id, i.TitleZh, i.TitleEn, new Money(i.PriceFen), i.Shop.NameZh, i.ImageUrl, i.MonthlySales)
        : i => new ItemCard(i.Id, i.TitleEn, i.TitleZh, new Money(i.PriceFen), i.Shop.NameEn, i.ImageUrl, i.MonthlySales);
}
