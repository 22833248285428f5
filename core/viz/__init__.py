"""What is drawn: plotly figures, folium maps and their Leaflet layers."""
