using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaobaoAlliance.Data.Catalog;
using TaobaoAlliance.Web.Tests.Pages.Store;
using TaobaoAlliance.Web.Tests.Seeding;

namespace TaobaoAlliance.Web.Tests.Data;

/// <summary>The database itself refuses values out of range, whatever code writes them.</summary>
public sealed class ConstraintTests(AllianceApp app) : IClassFixture<AllianceApp>
{
    [Theory]
    [InlineData(9001)]
    [InlineData(-1)]
    public async Task An_item_rate_outside_0_to_90_percent_is_refused(int rateBp)
    {
        await using var db = app.NewDb();
        var item = await db.Items.AsNoTracking().FirstAsync();
        var act = () => db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CommissionRateBp, rateBp));

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ck_items_commission_rate_bp");
        (await db.Items.AsNoTracking().SingleAsync(i => i.Id == item.Id)).CommissionRateBp.Should().Be(item.CommissionRateBp);
    }

    [Fact]
    public async Task A_shop_general_rate_above_90_percent_is_refused()
    {
        await using var db = app.NewDb();
        var act = () => db.Shops.Where(s => s.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.GeneralRateBp, 9500));

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ck_shops_general_rate_bp");
    }

    [Fact]
    public async Task A_negative_price_is_refused()
    {
        await using var db = app.NewDb();
        db.Items.Add(new Item
        {
            ShopId = 1, CategoryId = 1, TitleZh = "负价格", TitleEn = "Negative price", PriceFen = -1, ImageUrl = "/x.svg",
        });
        var act = () => db.SaveChangesAsync();

        (await act.Should().ThrowAsync<DbUpdateException>()).WithInnerException<PostgresException>()
            .Which.ConstraintName.Should().Be("ck_items_price_fen");
    }
}
