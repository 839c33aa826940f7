"""Program geography: the LEAD catchment, legacy police posts, and the areas in force.

Never imports Streamlit: functions take plain values or a connection and return data.
"""
